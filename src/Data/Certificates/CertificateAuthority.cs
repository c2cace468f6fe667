using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// A CA certificate with its private key (the platform root or an issuing intermediate), and the certificates above
/// it. Created by <see cref="CertificateIssuer"/>; stored as the certificate's DER plus <see cref="ExportProtectedKey"/>,
/// and brought back with <see cref="Load"/>.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly X509Certificate2[] _issuers;

    internal CertificateAuthority(X509Certificate2 certificate, IEnumerable<X509Certificate2> issuers)
    {
        var basicConstraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
        if (basicConstraints is not { CertificateAuthority: true })
        {
            throw new ArgumentException("The certificate is not a CA certificate.", nameof(certificate));
        }

        using (var key = CertificateKeys.PrivateKey(certificate))
        {
            UsesRsa = key is RSA;
            SigningHash = CertificateKeys.SigningHash(key);
        }

        Certificate = certificate;
        _issuers = [.. issuers.Select(CertificateKeys.PublicCopy)];
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificates above this CA, nearest first and the root last; empty for a root.</summary>
    public IReadOnlyList<X509Certificate2> Issuers => _issuers;

    public bool IsRoot => _issuers.Length == 0;

    internal DateTimeOffset NotBefore => new(Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    internal DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    internal bool UsesRsa { get; }

    internal HashAlgorithmName SigningHash { get; }

    /// <summary>A key object of its own for each signing, so that concurrent issuance shares no algorithm instance.</summary>
    internal AsymmetricAlgorithm CreateSigningKey() => CertificateKeys.PrivateKey(Certificate);

    /// <summary>The private key as PKCS#8, encrypted for storage; use <see cref="KeyPurpose.CertificateAuthority"/>.</summary>
    public byte[] ExportProtectedKey(KeyProtector protector, string purpose) =>
        CertificateKeys.ExportProtected(Certificate, protector, purpose);

    /// <summary>Brings back a stored CA. <paramref name="issuers"/> are the certificates above it (none for a root).</summary>
    /// <exception cref="KeyProtectionException">The key blob does not open under this master key and purpose.</exception>
    public static CertificateAuthority Load(
        ReadOnlySpan<byte> certificateDer,
        ReadOnlySpan<byte> protectedKey,
        KeyProtector protector,
        string purpose,
        IEnumerable<X509Certificate2>? issuers = null) =>
        new(CertificateKeys.LoadProtected(certificateDer, protectedKey, protector, purpose), issuers ?? []);

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var issuer in _issuers)
        {
            issuer.Dispose();
        }
    }
}
