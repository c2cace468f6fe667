namespace HostedPbx.Switch.Devices;

/// <summary>An extension as routing and registration need it.</summary>
internal sealed record DirectoryExtension(
    Guid Id,
    Guid TenantId,
    string Number,
    string DisplayName,
    bool DigestRequired,
    string? Ha1Sha256,
    string? Ha1Md5);
