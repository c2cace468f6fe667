using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// The platform certificate authority's operations: creating the root and the device-issuing intermediate,
/// issuing device and server certificates, and signing CRLs. Holds no keys itself; each call is given the
/// <see cref="CertificateAuthority"/> to sign with.
/// </summary>
public sealed partial class CertificateIssuer(IOptions<CertificateAuthorityOptions> options, TimeProvider time)
{
    private readonly CertificateAuthorityOptions _options = options.Value;

    /// <summary>
    /// A self-signed root: CA:TRUE (critical), keyCertSign and cRLSign, <see cref="CertificateAuthorityOptions.RootValidityDays"/>,
    /// its key <paramref name="algorithm"/> or else <see cref="CertificateAuthorityOptions.CaKeyAlgorithm"/>.
    /// </summary>
    public CertificateAuthority CreateRoot(CertificateKeyAlgorithm? algorithm = null)
    {
        using var key = CertificateKeys.Create(algorithm ?? _options.CaKeyAlgorithm);
        var request = CreateCaRequest(_options.RootCommonName, key, CertificateKeys.SigningHash(key), pathLength: null);
        var now = time.GetUtcNow();
        using var certificate = request.Create(
            request.SubjectName, CertificateKeys.SignatureGenerator(key), now - ClockSkew, now.AddDays(_options.RootValidityDays), NewSerialNumber());
        return new CertificateAuthority(CertificateKeys.Attach(certificate, key), []);
    }

    /// <summary>
    /// An intermediate signed by <paramref name="root"/> that issues device certificates (pathLen 0), its key
    /// <paramref name="algorithm"/> or else <see cref="CertificateAuthorityOptions.CaKeyAlgorithm"/>.
    /// </summary>
    public CertificateAuthority CreateIntermediate(
        CertificateAuthority root, CertificateKeyAlgorithm? algorithm = null, string? commonName = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var key = CertificateKeys.Create(algorithm ?? _options.CaKeyAlgorithm);
        var request = CreateCaRequest(commonName ?? _options.DeviceCaCommonName, key, root.SigningHash, pathLength: 0);
        using var certificate = Sign(root, request, _options.IntermediateValidityDays);
        return new CertificateAuthority(CertificateKeys.Attach(certificate, key), [root.Certificate, .. root.Issuers]);
    }

    private TimeSpan ClockSkew => TimeSpan.FromMinutes(_options.ClockSkewMinutes);

    private CertificateRequest CreateCaRequest(string commonName, AsymmetricAlgorithm key, HashAlgorithmName hash, int? pathLength)
    {
        var subject = new X500DistinguishedNameBuilder();
        // The builder encodes in reverse order of the calls, so this gives O first on the wire and reads "CN=…, O=…".
        subject.AddCommonName(commonName);
        subject.AddOrganizationName(_options.Organization);
        var request = NewRequest(subject.Build(), key, hash);
        // RFC 5280 §4.2.1.9: basicConstraints is critical in CA certificates; pathLen 0 lets the device CA sign only leaves.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, critical: true));
        // RFC 5280 §4.2.1.3: keyCertSign and cRLSign, critical.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        return request;
    }

    private static CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key, HashAlgorithmName hash)
    {
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, hash),
            RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException($"Keys of type {key.GetType().Name} are not supported."),
        };
        // RFC 5280 §4.2.1.2: subjectKeyIdentifier in every certificate we make, so chains are built by key id.
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request;
    }

    /// <summary>Signs a request with the CA, inside the CA's own validity, backdated by the clock skew.</summary>
    private X509Certificate2 Sign(CertificateAuthority issuer, CertificateRequest request, int validityDays)
    {
        // RFC 5280 §4.2.1.1: authorityKeyIdentifier = the issuer's subjectKeyIdentifier.
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var now = time.GetUtcNow();
        var notBefore = Max(now - ClockSkew, issuer.NotBefore);
        var notAfter = Min(now.AddDays(validityDays), issuer.NotAfter);
        if (notAfter <= notBefore)
        {
            throw new InvalidOperationException($"The issuing CA '{issuer.Certificate.Subject}' is not valid now.");
        }

        using var signingKey = issuer.CreateSigningKey();
        return request.Create(
            issuer.Certificate.SubjectName, CertificateKeys.SignatureGenerator(signingKey), notBefore, notAfter, NewSerialNumber());
    }

    // RFC 5280 §4.1.2.2: a positive integer of at most 20 octets; 16 random bytes with the top bit clear and a
    // non-zero first byte keep the DER encoding exactly 16 bytes long.
    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0)
        {
            serial[0] = 1;
        }

        return serial;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
