namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// A carrier the switch may exchange SIP with, as the directory knows it: the name its certificate must carry (RFC 5922
/// §7.1, a SAN DNS name or IP address) and, where the operator pinned one, the certificate's exact SHA-256 fingerprint.
/// </summary>
internal sealed record KnownPeer(PeerKind Kind, string Name, Guid PeerId, Guid? TenantId, string CertificateName, string? PinnedFingerprint = null);
