using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Data.Tests.Certificates.Support;

/// <summary>Certificates the issuer would never make (unclamped dates, odd usages, forged signatures), for the validator's tests.</summary>
internal static class RawCertificates
{
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2 Leaf(
        CertificateAuthority issuer,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        string? extendedUsage = ClientAuth,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature)
    {
        using var key = issuer.CreateSigningKey();
        return Sign(issuer.Certificate, CertificateKeys.SignatureGenerator(key), notBefore, notAfter, extendedUsage, usage);
    }

    /// <summary>A leaf signed with the private key of any certificate, CA or not.</summary>
    public static X509Certificate2 SignedBy(X509Certificate2 issuerWithKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = CertificateKeys.PrivateKey(issuerWithKey);
        return Sign(issuerWithKey, CertificateKeys.SignatureGenerator(key), notBefore, notAfter, ClientAuth, X509KeyUsageFlags.DigitalSignature);
    }

    /// <summary>A leaf naming <paramref name="issuer"/> as its issuer (name and key id) but signed by another key.</summary>
    public static X509Certificate2 Forged(X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return Sign(issuer, X509SignatureGenerator.CreateForECDsa(impostor), notBefore, notAfter, ClientAuth, X509KeyUsageFlags.DigitalSignature);
    }

    private static X509Certificate2 Sign(
        X509Certificate2 issuer,
        X509SignatureGenerator generator,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        string? extendedUsage,
        X509KeyUsageFlags usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=001565aabbcc", key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        if (extendedUsage is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedUsage)], critical: false));
        }

        var issuerKeyId = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes;
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKeyId.Span));
        return request.Create(issuer.SubjectName, generator, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
    }
}
