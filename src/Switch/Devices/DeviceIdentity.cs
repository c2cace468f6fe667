namespace HostedPbx.Switch.Devices;

/// <summary>Who is at the far end of a TLS connection, as proven by its client certificate (DESIGN "Identity of a handset").</summary>
internal sealed record DeviceIdentity(
    Guid DeviceId,
    Guid TenantId,
    string Mac,
    string Fingerprint,
    string Subject,
    string AnchorName,
    IReadOnlyList<string> Extensions);
