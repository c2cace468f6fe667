using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// Recognises another switch node by its certificate (issue 14), as the listener's node hook: the certificate names a
/// node (<see cref="NodeCertificate"/>; a handset's never does), its chain builds to the platform's own CA and to nothing
/// else, and it is the very certificate that node is bound to while it lives (the fingerprint it recorded when it
/// joined), as a handset is bound to its certificate. A certificate that names no node is left to the carriers.
/// </summary>
/// <param name="platform">The platform CA (the CA certificates of the switch's own certificate file).</param>
/// <param name="time">The clock the chain is verified at.</param>
/// <param name="boundFingerprint">The fingerprint the live node of that name is bound to; null when no such node lives.</param>
internal sealed class NodeRecognizer(PeerTrust platform, TimeProvider time, Func<string, string?> boundFingerprint) : INodeRecognizer
{
    public const string VerifiedBy = "the platform CA";

    public PeerAuthentication? Recognize(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        if (!NodeCertificate.TryReadNodeName(leaf, out var name))
        {
            return null;
        }

        using var chain = new X509Chain { ChainPolicy = platform.Policy(time.GetUtcNow(), presented) };
        if (!chain.Build(leaf))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return PeerAuthentication.Refused($"node certificate for {name} does not verify against {VerifiedBy}: {status}");
        }

        var fingerprint = CertificateIdentity.Sha256Fingerprint(leaf);
        if (boundFingerprint(name) is not { } bound)
        {
            return PeerAuthentication.Refused($"{name} is not a live switch node");
        }

        if (!string.Equals(bound, fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            return PeerAuthentication.Refused($"certificate {fingerprint} is not the one switch node {name} is bound to");
        }

        return PeerAuthentication.Admitted(new PeerIdentity(PeerKind.Node, name, IdOf(name), null, leaf.Subject, fingerprint, true, VerifiedBy));
    }

    public string? StillHolds(PeerIdentity node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return boundFingerprint(node.Name) switch
        {
            null => $"{node.Name} is no longer a live switch node",
            { } bound when !string.Equals(bound, node.Fingerprint, StringComparison.OrdinalIgnoreCase) => $"switch node {node.Name} is now bound to another certificate",
            _ => null,
        };
    }

    /// <summary>
    /// The platform CA as the switch's certificate file carries it: its CA certificates (the roots as anchors). Null when
    /// the file carries no CA certificate: then no node is recognised (never the system's trust in its place).
    /// </summary>
    public static PeerTrust? PlatformTrust(string certificatePath)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var authorities = all.Where(c => c.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority)).ToList();
        var roots = authorities.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToList();
        return authorities.Count == 0 ? null : new PeerTrust([.. roots.Count > 0 ? roots : authorities]);
    }

    /// <summary>A node has a name, not a row id: a stable id from the name, for logs and the audit.</summary>
    public static Guid IdOf(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
}
