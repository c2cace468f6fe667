using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// A switch node's role in its certificate (issue 14): one SAN URI <c>urn:hostedpbx:switch-node:{name}</c>, which only
/// <see cref="CertificateIssuer.IssueNode"/> writes. A handset's certificate carries its device URN (RFC 9039) instead, so
/// it can never read as a node; the chain to the platform's own CA is the caller's check, as for a handset.
/// </summary>
public static partial class NodeCertificate
{
    public const string UrnPrefix = "urn:hostedpbx:switch-node:";

    public static string UrnOf(string nodeName) => UrnPrefix + nodeName;

    /// <summary>True when the certificate names exactly one switch node, by a valid node name, and no device.</summary>
    public static bool TryReadNodeName(X509Certificate2 certificate, out string nodeName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        nodeName = "";
        var uris = CertificateMacReader.SubjectAltNameUris(certificate);
        var nodes = uris.Where(u => u.StartsWith(UrnPrefix, StringComparison.Ordinal)).ToList();
        if (nodes.Count != 1 || uris.Exists(u => u.StartsWith("urn:dev:", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var name = nodes[0][UrnPrefix.Length..];
        if (!NodeName().IsMatch(name))
        {
            return false;
        }

        nodeName = name;
        return true;
    }

    /// <summary>The form of <c>Switch:NodeName</c>.</summary>
    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NodeName();
}
