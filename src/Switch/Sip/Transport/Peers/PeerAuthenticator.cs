using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// Decides whether a certificate that is not a handset's belongs to a known peer: a node (through the
/// <see cref="INodeRecognizer"/> hook), else a carrier whose chain builds to <see cref="PeerTrust"/> and whose name (RFC 5922
/// §7.1: SAN DNS names and IP addresses, the CN only when there are none) is the one configured for a carrier or trunk,
/// and whose fingerprint is the pinned one where the operator pinned it. One function for both directions: the outbound
/// connector checks a carrier's server certificate with <see cref="VerifyServer"/>.
/// </summary>
internal sealed class PeerAuthenticator(PeerTrust trust, TimeProvider time, INodeRecognizer? nodes = null)
{
    public PeerTrust Trust => trust;

    /// <summary>The identity of the peer presenting <paramref name="leaf"/> as a client, or why it is refused.</summary>
    public PeerAuthentication Authenticate(X509Certificate2? leaf, IReadOnlyList<X509Certificate2> presented, PeerDirectory directory)
    {
        if (leaf is null)
        {
            return PeerAuthentication.Refused("no client certificate");
        }

        if (nodes?.Recognize(leaf, presented) is { } node)
        {
            return node;
        }

        if (BuildChain(leaf, presented) is { } chainRefusal)
        {
            return PeerAuthentication.Refused(chainRefusal);
        }

        var names = NamesOf(leaf);
        var fingerprint = CertificateIdentity.Sha256Fingerprint(leaf);
        var candidates = directory.Named(names).ToList();
        if (candidates.Count == 0)
        {
            return PeerAuthentication.Refused($"certificate names [{string.Join(", ", names)}] are no carrier's or trunk's");
        }

        // A pinned carrier admits only its own certificate; the operator's carrier comes before tenants' trunks of the same name.
        var match = candidates
            .Where(p => p.PinnedFingerprint is null || string.Equals(p.PinnedFingerprint, fingerprint, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.TenantId is null ? 0 : 1)
            .FirstOrDefault();
        if (match is null)
        {
            return PeerAuthentication.Refused($"certificate {fingerprint} is not the one pinned for {candidates[0].Name}");
        }

        return PeerAuthentication.Admitted(new PeerIdentity(
            match.Kind, match.Name, match.PeerId, match.TenantId, leaf.Subject, fingerprint, true, trust.Name));
    }

    /// <summary>
    /// Checks a carrier's server certificate (RFC 5922 §7.3: the chain, then the name the trunk expects); null when it
    /// holds, else why not. The name check is done here rather than by SslStream so a refusal can say which check failed.
    /// </summary>
    public string? VerifyServer(X509Certificate2? leaf, IReadOnlyList<X509Certificate2> presented, string expectedName, string? pinnedFingerprint)
    {
        if (leaf is null)
        {
            return "the carrier presented no certificate";
        }

        if (BuildChain(leaf, presented) is { } refusal)
        {
            return refusal;
        }

        var names = NamesOf(leaf);
        if (!names.Contains(expectedName, StringComparer.OrdinalIgnoreCase))
        {
            return $"certificate names [{string.Join(", ", names)}] do not include '{expectedName}'";
        }

        var fingerprint = CertificateIdentity.Sha256Fingerprint(leaf);
        return pinnedFingerprint is null || string.Equals(pinnedFingerprint, fingerprint, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"certificate {fingerprint} is not the pinned one";
    }

    /// <summary>
    /// Checks another switch node's server certificate when this node connects to it (issue 14): the node hook must
    /// recognise it as the live node <paramref name="expectedName"/>; null when it holds, else why not.
    /// </summary>
    public string? VerifyNode(X509Certificate2? leaf, IReadOnlyList<X509Certificate2> presented, string expectedName)
    {
        if (leaf is null)
        {
            return "the switch node presented no certificate";
        }

        if (nodes is null)
        {
            return "node connections are not recognised by this switch (no platform CA in its certificate file)";
        }

        return nodes.Recognize(leaf, presented) switch
        {
            null => $"certificate {leaf.Subject} is not a switch node's",
            { Succeeded: false } refused => refused.Refusal,
            { Identity.Name: var name } when name != expectedName => $"certificate is switch node {name}'s, not {expectedName}'s",
            _ => null,
        };
    }

    /// <summary>Null while <paramref name="peer"/> is still a known peer (checked on every request); otherwise why not.</summary>
    public string? StillHolds(PeerIdentity peer, PeerDirectory directory)
    {
        if (peer.Kind == PeerKind.Node)
        {
            return nodes is null ? "node connections are not recognised by this switch" : nodes.StillHolds(peer);
        }

        if (directory.Find(peer.Kind, peer.PeerId) is not { } known)
        {
            return $"{peer.Name} is no longer a carrier or trunk of this platform";
        }

        if (known.PinnedFingerprint is { } pinned && !string.Equals(pinned, peer.Fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            return $"{peer.Name} is now pinned to another certificate";
        }

        return null;
    }

    /// <summary>RFC 5922 §7.1: the SAN DNS names and IP addresses; the subject's CN only when the certificate has no SAN.</summary>
    public static IReadOnlyList<string> NamesOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            var cn = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            return string.IsNullOrEmpty(cn) ? [] : [cn];
        }

        return [.. san.EnumerateDnsNames(), .. san.EnumerateIPAddresses().Select(a => a.ToString())];
    }

    private string? BuildChain(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented)
    {
        using var chain = new X509Chain { ChainPolicy = trust.Policy(time.GetUtcNow(), presented) };
        if (chain.Build(leaf))
        {
            return null;
        }

        var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        return $"certificate {leaf.Subject} does not verify against {trust.Name}: {status}";
    }
}
