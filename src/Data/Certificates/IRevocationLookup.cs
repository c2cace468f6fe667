using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Our own revocation records (no CRL or OCSP fetching at handshake time). Called synchronously from the TLS
/// certificate callback, so an implementation answers from memory (the switch's cache).
/// </summary>
public interface IRevocationLookup
{
    /// <param name="issuer">The certificate that signed the one being checked.</param>
    /// <param name="serialNumber">Lowercase big-endian hex, as <see cref="CertificateIdentity.SerialNumber"/> gives it.</param>
    bool IsRevoked(X509Certificate2 issuer, string serialNumber);
}
