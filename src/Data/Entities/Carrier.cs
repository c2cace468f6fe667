namespace HostedPbx.Data.Entities;

/// <summary>
/// A carrier the operator contracts, shared by many tenants: each tenant reaches it through a <see cref="Trunk"/> that
/// names it, and numbers from it are assigned per tenant. Platform-wide, so not tenant-owned.
/// </summary>
public class Carrier
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }

    /// <summary>Host name resolved per RFC 3263, or an IP literal.</summary>
    public required string Host { get; set; }
    public int Port { get; set; } = 5061;
    public TrunkTransport Transport { get; set; } = TrunkTransport.Tls;

    /// <summary>The name the carrier's certificate must carry (SAN DNS or IP); the host when null.</summary>
    public string? CertificateName { get; set; }
    public SrtpMode SrtpMode { get; set; } = SrtpMode.Required;
    public string? Username { get; set; }

    /// <summary>Digest password, encrypted under the master key for <c>KeyPurpose.CarrierPassword(Id)</c>.</summary>
    public byte[]? ProtectedPassword { get; set; }
    public int MaxChannels { get; set; } = 300;
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}
