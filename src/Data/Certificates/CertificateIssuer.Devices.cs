using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Devices;

namespace HostedPbx.Data.Certificates;

public sealed partial class CertificateIssuer
{
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>
    /// A handset's certificate: CN = the MAC (12 lowercase hex), SAN URI <c>urn:dev:mac:…</c>, clientAuth.
    /// The key algorithm and validity default to <see cref="CertificateAuthorityOptions"/>.
    /// </summary>
    public IssuedCertificate IssueDevice(
        CertificateAuthority issuer, MacAddress mac, CertificateKeyAlgorithm? algorithm = null, int? validityDays = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        using var key = CertificateKeys.Create(algorithm ?? _options.DeviceKeyAlgorithm);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(mac.ToString());
        var request = NewRequest(subject.Build(), key, issuer.SigningHash);
        AddLeafExtensions(request, key, s_clientAuth);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(mac.ToUrn())); // RFC 9039 §3.2 device URN
        request.CertificateExtensions.Add(names.Build());
        AddCrlDistributionPoint(request);
        using var certificate = Sign(issuer, request, validityDays ?? _options.DeviceValidityDays);
        return new IssuedCertificate(CertificateKeys.Attach(certificate, key), [issuer.Certificate, .. issuer.Issuers]);
    }

    private static void AddLeafExtensions(CertificateRequest request, AsymmetricAlgorithm key, params Oid[] extendedUsages)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        // RFC 5246 §7.4.2 / RFC 8446 §4.4.2: a TLS peer signs with its key; an RSA key may also be used for
        // key transport by TLS 1.2 RSA cipher suites, which older handsets still offer.
        var usage = key is RSA
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. extendedUsages], critical: false));
    }

    private void AddCrlDistributionPoint(CertificateRequest request)
    {
        if (!string.IsNullOrEmpty(_options.CrlUrl))
        {
            // RFC 5280 §4.2.1.13
            request.CertificateExtensions.Add(
                CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([_options.CrlUrl], critical: false));
        }
    }
}
