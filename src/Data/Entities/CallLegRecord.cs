namespace HostedPbx.Data.Entities;

/// <summary>The facts of one leg of a call: who was there, and how signalling and media were protected.</summary>
public class CallLegRecord : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CallRecordId { get; set; }
    public Guid TenantId { get; set; }
    /// <summary>0 for the caller's leg, 1.. for the legs the switch opened.</summary>
    public int Position { get; set; }
    public LegKind Kind { get; set; }
    /// <summary>Extension number, E.164 number or service name.</summary>
    public required string Party { get; set; }
    public Guid? DeviceId { get; set; }
    public Guid? TrunkId { get; set; }
    public SignallingTransport Transport { get; set; }
    public string? TlsVersion { get; set; }
    public string? TlsCipher { get; set; }
    public bool PeerCertificateVerified { get; set; }
    public string? PeerCertificateSubject { get; set; }
    public string? PeerMac { get; set; }
    /// <summary>The trust anchor the peer's certificate chained to.</summary>
    public string? PeerVerifiedBy { get; set; }
    public MediaProtection MediaProtection { get; set; }
    public string? SrtpSuite { get; set; }
    /// <summary>The leg leaves our network (PSTN carrier).</summary>
    public bool LeavesNetwork { get; set; }
}
