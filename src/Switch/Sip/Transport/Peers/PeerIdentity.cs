namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// Who is at the far end of a peer connection, as proven by its certificate: a carrier (the operator's, shared by tenants,
/// <paramref name="TenantId"/> null; or one tenant's own trunk) or another switch node.
/// </summary>
/// <param name="Kind">Trunk or node.</param>
/// <param name="Name">The carrier's, trunk's or node's name, for logs and the audit.</param>
/// <param name="PeerId">The carrier's id, the tenant trunk's id, or the node's id.</param>
/// <param name="TenantId">The one tenant this peer belongs to; null for a peer shared by the platform.</param>
/// <param name="Subject">The peer certificate's subject.</param>
/// <param name="Fingerprint">The peer certificate's SHA-256 fingerprint (hex, lower case).</param>
/// <param name="CertificateVerified">True when the certificate's chain built to a trust anchor and carried the expected name.</param>
/// <param name="VerifiedBy">What vouched for it ("system trust", an anchor's subject), or why it was not verified.</param>
internal sealed record PeerIdentity(
    PeerKind Kind,
    string Name,
    Guid PeerId,
    Guid? TenantId,
    string Subject,
    string Fingerprint,
    bool CertificateVerified,
    string VerifiedBy);
