using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// The hook where a switch node's certificate is recognised (issue 14): <see cref="PeerAuthenticator"/> asks it first
/// about every client certificate that is not a handset's. Null from <see cref="Recognize"/> means "not a node"; the
/// carriers are tried next.
/// </summary>
internal interface INodeRecognizer
{
    PeerAuthentication? Recognize(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented);

    /// <summary>Null while the node proven earlier still holds (checked on every request); otherwise why not.</summary>
    string? StillHolds(PeerIdentity node);
}
