namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// Where the switch connects to reach a peer: its host (an IP literal or a name), port, the name its certificate must carry,
/// and whether that certificate is verified at all (a tenant's own trunk may turn it off; the statement then says so).
/// </summary>
internal sealed record PeerTarget(
    PeerKind Kind,
    string Name,
    Guid PeerId,
    Guid? TenantId,
    string Host,
    int Port,
    string CertificateName,
    bool VerifyCertificate = true,
    string? PinnedFingerprint = null)
{
    public override string ToString() => $"{Host}:{Port}";
}
