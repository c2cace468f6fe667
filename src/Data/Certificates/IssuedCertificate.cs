using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// A leaf certificate (device or server) with its private key and the CA certificates above it, and the export
/// formats handsets and the switch need.
/// </summary>
public sealed class IssuedCertificate : IDisposable
{
    private readonly X509Certificate2[] _issuers;

    internal IssuedCertificate(X509Certificate2 certificate, IEnumerable<X509Certificate2> issuers)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("An issued certificate carries its private key.", nameof(certificate));
        }

        Certificate = certificate;
        _issuers = [.. issuers.Select(CertificateKeys.PublicCopy)];
    }

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuing CA first, the root last.</summary>
    public IReadOnlyList<X509Certificate2> Issuers => _issuers;

    public string Fingerprint => CertificateIdentity.Sha256Fingerprint(Certificate);

    public string SerialNumber => CertificateIdentity.SerialNumber(Certificate);

    /// <summary>Brings back a stored certificate (e.g. the switch's server certificate) with its key.</summary>
    /// <exception cref="KeyProtectionException">The key blob does not open under this master key and purpose.</exception>
    public static IssuedCertificate Load(
        ReadOnlySpan<byte> certificateDer,
        ReadOnlySpan<byte> protectedKey,
        KeyProtector protector,
        string purpose,
        IEnumerable<X509Certificate2>? issuers = null) =>
        new(CertificateKeys.LoadProtected(certificateDer, protectedKey, protector, purpose), issuers ?? []);

    public byte[] ExportProtectedKey(KeyProtector protector, string purpose) =>
        CertificateKeys.ExportProtected(Certificate, protector, purpose);

    public byte[] ExportPkcs8PrivateKey() => CertificateKeys.ExportPkcs8(Certificate);

    public string CertificatePem() => Certificate.ExportCertificatePem();

    /// <summary>The private key as unencrypted PKCS#8 ("BEGIN PRIVATE KEY").</summary>
    public string PrivateKeyPem()
    {
        using var key = CertificateKeys.PrivateKey(Certificate);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The issuing CA and everything above it, root included.</summary>
    public string ChainPem() => JoinPem(_issuers);

    /// <summary>
    /// Certificate, intermediates and key in one file, as baresip's <c>sip_certificate</c> wants (OpenSSL reads the
    /// first certificate as the leaf and the following ones as its chain). The root is left out: the peer has it.
    /// </summary>
    public string CombinedPem() => JoinPem([Certificate, .. Intermediates()]) + PrivateKeyPem() + "\n";

    /// <summary>Certificate, key and intermediates in a password-protected PKCS#12 file.</summary>
    public byte[] ExportPkcs12(string password, Pkcs12Format format)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parameters = format switch
        {
            Pkcs12Format.Modern => Pkcs12ExportPbeParameters.Pbes2Aes256Sha256,
            Pkcs12Format.Legacy => Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown PKCS#12 format."),
        };
        var collection = new X509Certificate2Collection(Certificate);
        collection.AddRange(Intermediates().ToArray());
        return collection.ExportPkcs12(parameters, password);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var issuer in _issuers)
        {
            issuer.Dispose();
        }
    }

    private IEnumerable<X509Certificate2> Intermediates() =>
        _issuers.Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData));

    private static string JoinPem(IEnumerable<X509Certificate2> certificates)
    {
        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        return pem.ToString();
    }
}
