namespace HostedPbx.Data.Entities;

/// <summary>A live SIP binding: an extension reachable at a handset's contact over its own TLS connection.</summary>
public class Registration : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ExtensionId { get; set; }
    public Guid DeviceId { get; set; }
    public required string ContactUri { get; set; }
    /// <summary>RFC 5626 +sip.instance, when the handset sends one.</summary>
    public string? InstanceId { get; set; }
    public int? RegId { get; set; }
    /// <summary>Where the connection came from, ip:port.</summary>
    public required string SourceAddress { get; set; }
    /// <summary>The switch node holding the TLS connection.</summary>
    public required string SwitchNode { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
