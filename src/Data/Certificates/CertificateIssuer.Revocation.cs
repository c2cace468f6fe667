using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

public sealed partial class CertificateIssuer
{
    /// <summary>
    /// A DER CRL signed by <paramref name="issuer"/>, listing <paramref name="revoked"/>, current for
    /// <see cref="CertificateAuthorityOptions.CrlValidityHours"/>. <paramref name="crlNumber"/> must grow with each CRL.
    /// </summary>
    public byte[] BuildRevocationList(CertificateAuthority issuer, IEnumerable<RevokedCertificate> revoked, BigInteger crlNumber)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(revoked);
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
        {
            builder.AddEntry(Convert.FromHexString(entry.SerialNumber), entry.RevokedAt, entry.Reason);
        }

        var now = time.GetUtcNow();
        // RFC 5280 §5.1.2.4-5: thisUpdate now, nextUpdate when a fresh CRL will be out; §5.2.3 cRLNumber.
        return builder.Build(
            issuer.Certificate,
            crlNumber,
            nextUpdate: now.AddHours(_options.CrlValidityHours),
            issuer.SigningHash,
            issuer.UsesRsa ? RSASignaturePadding.Pkcs1 : null,
            thisUpdate: now);
    }
}
