using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

internal static class CertificateKeys
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    public static AsymmetricAlgorithm Create(CertificateKeyAlgorithm algorithm) => algorithm switch
    {
        CertificateKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CertificateKeyAlgorithm.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        CertificateKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    };

    // A P-384 CA signs with SHA-384 (RFC 5480 §4 pairs curve and hash strength); everything else with SHA-256.
    public static HashAlgorithmName SigningHash(AsymmetricAlgorithm key) =>
        key is ECDsa && key.KeySize >= 384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    public static X509SignatureGenerator SignatureGenerator(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException($"Keys of type {key.GetType().Name} cannot sign certificates."),
    };

    public static X509Certificate2 Attach(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        _ => throw new NotSupportedException($"Keys of type {key.GetType().Name} are not supported."),
    };

    public static AsymmetricAlgorithm PrivateKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
        ?? throw new ArgumentException("The certificate has no ECDSA or RSA private key.", nameof(certificate));

    public static byte[] ExportPkcs8(X509Certificate2 certificate)
    {
        using var key = PrivateKey(certificate);
        return key.ExportPkcs8PrivateKey();
    }

    public static byte[] ExportProtected(X509Certificate2 certificate, KeyProtector protector, string purpose)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var pkcs8 = ExportPkcs8(certificate);
        try
        {
            return protector.Protect(pkcs8, purpose);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>Joins a stored certificate (DER) with its protected PKCS#8 key; fails if the key is not the certificate's.</summary>
    public static X509Certificate2 LoadProtected(
        ReadOnlySpan<byte> certificateDer, ReadOnlySpan<byte> protectedKey, KeyProtector protector, string purpose)
    {
        ArgumentNullException.ThrowIfNull(protector);
        using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
        var pkcs8 = protector.Unprotect(protectedKey, purpose);
        try
        {
            using AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() switch
            {
                EcPublicKeyOid => ECDsa.Create(),
                RsaEncryptionOid => RSA.Create(),
                var oid => throw new NotSupportedException($"Certificates with key algorithm {oid} are not supported."),
            };
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return Attach(certificate, key);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException and not KeyProtectionException)
        {
            throw new KeyProtectionException("The stored private key does not belong to the stored certificate.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public static X509Certificate2 PublicCopy(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadCertificate(certificate.RawData);
}
