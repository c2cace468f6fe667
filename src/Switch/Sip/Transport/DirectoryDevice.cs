namespace HostedPbx.Switch.Sip.Transport;

/// <summary>A device as the switch needs it at handshake time; Extensions are its lines' numbers in line order.</summary>
internal sealed record DirectoryDevice(
    Guid Id,
    Guid TenantId,
    string Mac,
    bool IsActive,
    bool TenantIsActive,
    string? EnrolledFingerprint,
    IReadOnlyList<string> Extensions);
