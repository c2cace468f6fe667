using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

public sealed partial class CertificateIssuer
{
    /// <summary>
    /// The switch's (or provisioning's) TLS certificate for <paramref name="hostNames"/>, the first of which is also the CN.
    /// An IPv4 host is written both as an IP SAN and as a DNS SAN: linphone's mbedTLS matches only DNS names. Only a
    /// certificate that also acts as a TLS client (<paramref name="alsoClientAuth"/>: the switch's, which it presents to
    /// carriers and other nodes) carries clientAuth; any other server certificate cannot pose as a client.
    /// </summary>
    public IssuedCertificate IssueServer(
        CertificateAuthority issuer, IReadOnlyList<string> hostNames, CertificateKeyAlgorithm? algorithm = null, int? validityDays = null,
        bool alsoClientAuth = false)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(hostNames);
        if (hostNames.Count == 0 || hostNames.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A server certificate needs at least one host name, and none may be empty.", nameof(hostNames));
        }

        using var key = CertificateKeys.Create(algorithm ?? _options.ServerKeyAlgorithm);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(hostNames[0]);
        var request = NewRequest(subject.Build(), key, issuer.SigningHash);
        if (alsoClientAuth)
        {
            AddLeafExtensions(request, key, s_serverAuth, s_clientAuth);
        }
        else
        {
            AddLeafExtensions(request, key, s_serverAuth);
        }
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
                // A DNS name cannot hold ':' so an IPv6 literal gets only its IP SAN.
                if (address.AddressFamily == AddressFamily.InterNetwork)
                {
                    names.AddDnsName(address.ToString());
                }
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        AddCrlDistributionPoint(request);
        using var certificate = Sign(issuer, request, validityDays ?? _options.ServerValidityDays);
        return new IssuedCertificate(CertificateKeys.Attach(certificate, key), [issuer.Certificate, .. issuer.Issuers]);
    }
}
