namespace HostedPbx.Data.Entities;

/// <summary>
/// A tenant's way to a carrier for PSTN calls: either the operator's <see cref="Carrier"/> it names (host, transport and
/// credentials are the carrier's), or the tenant's own carrier (bring your own), with its own settings here.
/// </summary>
public class Trunk : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>The operator's carrier this trunk uses; null for the tenant's own carrier.</summary>
    public Guid? CarrierId { get; set; }
    public Carrier? Carrier { get; set; }

    /// <summary>Host name resolved per RFC 3263, or an IP literal; null when <see cref="CarrierId"/> is set.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 5061;
    public TrunkTransport Transport { get; set; } = TrunkTransport.Tls;

    /// <summary>TCP or UDP is allowed only when the operator set this for the named trunk.</summary>
    public bool PlainTransportAllowed { get; set; }

    /// <summary>The name the carrier's certificate must carry; the host when null.</summary>
    public string? CertificateName { get; set; }
    public bool VerifyServerCertificate { get; set; } = true;
    public SrtpMode SrtpMode { get; set; } = SrtpMode.Required;
    public string? Username { get; set; }

    /// <summary>Carrier password, encrypted under the master key for <c>KeyPurpose.TrunkPassword(Id)</c>.</summary>
    public byte[]? ProtectedPassword { get; set; }
    public int MaxChannels { get; set; } = 30;
    public Guid? RecordingPolicyId { get; set; }
    public RecordingPolicy? RecordingPolicy { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}
