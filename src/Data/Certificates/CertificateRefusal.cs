namespace HostedPbx.Data.Certificates;

/// <summary>
/// Why a client certificate was refused. For the audit log only: the peer is answered the same way whatever
/// the reason (403 or a failed handshake), so a prober learns nothing about which check failed.
/// </summary>
public enum CertificateRefusal
{
    None = 0,
    NoCertificate,
    UntrustedIssuer,
    BadSignature,
    AnchorExpired,
    AnchorNotYetValid,
    Expired,
    NotYetValid,
    WrongUsage,
    InvalidChain,
    Revoked,
}
