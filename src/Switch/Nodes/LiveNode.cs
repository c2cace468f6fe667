namespace HostedPbx.Switch.Nodes;

/// <summary>A switch node whose heartbeat is recent: where it listens, the certificate it is bound to, whether it drains.</summary>
internal sealed record LiveNode(string Name, string SipAddress, string CertificateFingerprint, bool Draining);
