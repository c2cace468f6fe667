namespace HostedPbx.Switch.Sip.Registrar;

/// <summary>One contact registered for an extension (RFC 3261 §10.3), reachable over connection <see cref="ConnectionId"/>.</summary>
internal sealed record Binding(
    Guid Id,
    Guid TenantId,
    Guid ExtensionId,
    string Extension,
    Guid DeviceId,
    string ContactUri,
    long ConnectionId,
    string SourceAddress,
    string? UserAgent,
    DateTimeOffset RegisteredAt,
    DateTimeOffset ExpiresAt);
