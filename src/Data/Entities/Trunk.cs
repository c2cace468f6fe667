namespace HostedPbx.Data.Entities;

/// <summary>A tenant's connection to a carrier for PSTN calls.</summary>
public class Trunk : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    /// <summary>Host name resolved per RFC 3263, or an IP literal.</summary>
    public required string Host { get; set; }
    public int Port { get; set; } = 5061;
    public TrunkTransport Transport { get; set; } = TrunkTransport.Tls;
    public bool VerifyServerCertificate { get; set; } = true;
    public bool SrtpRequired { get; set; } = true;
    public string? Username { get; set; }
    /// <summary>Carrier password, encrypted under the master key.</summary>
    public byte[]? ProtectedPassword { get; set; }
    public int MaxChannels { get; set; } = 30;
    public Guid? RecordingPolicyId { get; set; }
    public RecordingPolicy? RecordingPolicy { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}
