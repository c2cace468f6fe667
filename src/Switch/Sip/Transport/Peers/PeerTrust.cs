using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// What vouches for a carrier's certificate: the system's trust store, or the anchors the operator configured
/// (Switch:CarrierTrustAnchorPath) instead of it. The same policy verifies a carrier as server and as client.
/// </summary>
internal sealed class PeerTrust
{
    public static readonly PeerTrust System = new(null);

    public PeerTrust(X509Certificate2Collection? anchors) => Anchors = anchors is { Count: > 0 } ? anchors : null;

    /// <summary>The anchors in the PEM file at <paramref name="path"/>; the system's trust store when the path is empty.</summary>
    public static PeerTrust Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return System;
        }

        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or global::System.Security.Cryptography.CryptographicException)
        {
            throw new HostedPbx.Data.Hosting.StartupCheckException($"Switch:CarrierTrustAnchorPath '{path}' is not a readable PEM file of CA certificates: {ex.Message}", ex);
        }

        return anchors.Count > 0
            ? new PeerTrust(anchors)
            : throw new HostedPbx.Data.Hosting.StartupCheckException($"Switch:CarrierTrustAnchorPath '{path}' holds no certificate.");
    }

    /// <summary>The configured anchors; null for the system's trust store.</summary>
    public X509Certificate2Collection? Anchors { get; }

    /// <summary>What vouched for a certificate this trust verified, for the security statement and the audit.</summary>
    public string Name => Anchors is null ? "system trust" : "the configured carrier anchors";

    /// <summary>A chain policy verifying at <paramref name="now"/> against these anchors, with the peer's own intermediates.</summary>
    public X509ChainPolicy Policy(DateTimeOffset now, IEnumerable<X509Certificate2> intermediates)
    {
        var policy = new X509ChainPolicy
        {
            // Carriers' certificates come from public or private CAs whose CRLs the loopback tests cannot reach; a
            // carrier's revocation is the operator's to act on by changing the trunk (DESIGN: anchors, not revocation).
            RevocationMode = X509RevocationMode.NoCheck,
            // A peer sends its own intermediates (RFC 8446 §4.4.2); an issuer URL in a certificate that anyone may
            // present to the listener is never fetched.
            DisableCertificateDownloads = true,
            VerificationTime = now.UtcDateTime,
            VerificationTimeIgnored = false,
        };
        if (Anchors is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(Anchors);
        }

        foreach (var intermediate in intermediates)
        {
            policy.ExtraStore.Add(intermediate);
        }
        return policy;
    }
}
