using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

public sealed partial class CertificateIssuer
{
    /// <summary>
    /// A switch node's certificate (issue 14): serverAuth for the node's SIP port and clientAuth for the connections it
    /// opens to other nodes, the node role as a SAN URI (<see cref="NodeCertificate"/>) and the node's addresses as IP
    /// and DNS SANs, so one certificate serves handsets and nodes alike.
    /// </summary>
    public IssuedCertificate IssueNode(
        CertificateAuthority issuer, string nodeName, IReadOnlyList<string> hostNames, CertificateKeyAlgorithm? algorithm = null, int? validityDays = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(hostNames);
        if (string.IsNullOrWhiteSpace(nodeName) || hostNames.Count == 0 || hostNames.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A node certificate needs the node's name and at least one host name, and none may be empty.", nameof(hostNames));
        }

        using var key = CertificateKeys.Create(algorithm ?? _options.ServerKeyAlgorithm);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(hostNames[0]);
        subject.AddOrganizationalUnitName("switch node " + nodeName);
        var request = NewRequest(subject.Build(), key, issuer.SigningHash);
        AddLeafExtensions(request, key, s_serverAuth, s_clientAuth);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(NodeCertificate.UrnOf(nodeName)));
        foreach (var host in hostNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
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
