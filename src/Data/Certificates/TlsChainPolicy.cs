using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// The chain policy given to the TLS stack for the certificate the other side presents: a client's on the switch and on
/// provisioning, a carrier's or node's when the switch connects out. The stack builds a chain before it calls our
/// validation callback, by default against the system's trust store and downloading any issuer the certificate names by
/// URL (RFC 5280 §4.2.2.1): a stranger's certificate could make the server connect where the stranger chose, and hold
/// its handshake while it waited. Our callbacks decide on their own (<see cref="HandsetTrust"/>, the peer checks), so
/// this chain decides nothing: no store to search, nothing to fetch.
/// </summary>
public static class TlsChainPolicy
{
    /// <summary>A new policy each time: the stack adds the other side's intermediates to the one it is given.</summary>
    public static X509ChainPolicy ForRemoteCertificate() => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };
}
