using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// Decides whether a handset's certificate chains to a trust anchor on record (the platform's device CA or an
/// imported vendor CA, root or intermediate), is inside its validity at <see cref="TimeProvider"/>'s now, is
/// meant for client authentication, and is not revoked in our records.
/// </summary>
public sealed class ClientCertificateValidator(TimeProvider time)
{
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    // Flags checked our own way or not at all: revocation is ours, dates are compared to TimeProvider's now
    // below, and a validity period need not nest inside its issuer's (RFC 5280 §6.1 does not check nesting).
    private const X509ChainStatusFlags IgnoredFlags =
        X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation
        | X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;

    // On the anchor itself: it is trusted because it is on record, whatever sits above it (nothing, an unknown
    // vendor root, or an expired one); its own dates are checked below.
    private const X509ChainStatusFlags IgnoredAtAnchor =
        X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.NotTimeValid;

    /// <param name="certificate">The leaf the client presented, or null if it sent none.</param>
    /// <param name="presentedChain">Other certificates the client sent (e.g. the validation callback's chain.ChainPolicy.ExtraStore).</param>
    /// <param name="anchors">The trust anchors on record for this service.</param>
    /// <param name="revocations">Our revocation records.</param>
    public CertificateValidationResult Validate(
        X509Certificate2? certificate,
        IEnumerable<X509Certificate2>? presentedChain,
        IReadOnlyCollection<X509Certificate2> anchors,
        IRevocationLookup revocations) =>
        ValidateAt(certificate, presentedChain, anchors, revocations, time.GetUtcNow().UtcDateTime);

    /// <summary>As <see cref="Validate"/>, at the given time (UTC).</summary>
    public static CertificateValidationResult ValidateAt(
        X509Certificate2? certificate,
        IEnumerable<X509Certificate2>? presentedChain,
        IReadOnlyCollection<X509Certificate2> anchors,
        IRevocationLookup revocations,
        DateTime now)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(revocations);
        if (certificate is null)
        {
            return CertificateValidationResult.Refused(CertificateRefusal.NoCertificate);
        }

        if (anchors.Count == 0)
        {
            return CertificateValidationResult.Refused(CertificateRefusal.UntrustedIssuer);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange((presentedChain ?? []).ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Never follow an AIA URL a stranger's certificate points at.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        // RFC 5280 §4.2.1.12: when a certificate restricts its purposes, clientAuth must be among them.
        chain.ChainPolicy.ApplicationPolicy.Add(s_clientAuth);
        chain.Build(certificate);

        var elements = chain.ChainElements.Select(e => (e.Certificate, Status: Flags(e.ChainElementStatus))).ToList();
        try
        {
            return Judge(elements, anchors, revocations, now);
        }
        finally
        {
            foreach (var (element, _) in elements)
            {
                element.Dispose();
            }
        }
    }

    private static CertificateValidationResult Judge(
        List<(X509Certificate2 Certificate, X509ChainStatusFlags Status)> elements,
        IReadOnlyCollection<X509Certificate2> anchors,
        IRevocationLookup revocations,
        DateTime now)
    {
        // The chain stops at the first certificate on record; a certificate that is itself an anchor is not a client.
        X509Certificate2? anchor = null;
        var anchorIndex = 1;
        for (; anchorIndex < elements.Count; anchorIndex++)
        {
            var candidate = elements[anchorIndex].Certificate.RawDataMemory;
            anchor = anchors.FirstOrDefault(a => a.RawDataMemory.Span.SequenceEqual(candidate.Span));
            if (anchor is not null)
            {
                break;
            }
        }

        if (anchor is null)
        {
            return CertificateValidationResult.Refused(CertificateRefusal.UntrustedIssuer);
        }

        var status = elements[anchorIndex].Status & ~IgnoredAtAnchor;
        for (var i = 0; i < anchorIndex; i++)
        {
            status |= elements[i].Status;
        }

        status &= ~IgnoredFlags;

        // X509Chain on Linux does not treat a non-self-signed anchor as a root (it reports PartialChain there), so
        // for a vendor intermediate each link is checked by hand as well.
        var signaturesHold = (elements[anchorIndex].Status & X509ChainStatusFlags.PartialChain) == 0
            || Enumerable.Range(0, anchorIndex).All(i => CertificateSignature.IsSignedBy(elements[i].Certificate, elements[i + 1].Certificate));
        if (!signaturesHold || status.HasFlag(X509ChainStatusFlags.NotSignatureValid))
        {
            return CertificateValidationResult.Refused(CertificateRefusal.BadSignature);
        }

        if (!MayIssue(anchor))
        {
            return CertificateValidationResult.Refused(CertificateRefusal.InvalidChain);
        }

        var refusal = DateRefusal(anchor, now, CertificateRefusal.AnchorExpired, CertificateRefusal.AnchorNotYetValid);
        for (var i = 0; refusal == CertificateRefusal.None && i < anchorIndex; i++)
        {
            refusal = DateRefusal(elements[i].Certificate, now, CertificateRefusal.Expired, CertificateRefusal.NotYetValid);
        }

        if (refusal == CertificateRefusal.None)
        {
            refusal = status.HasFlag(X509ChainStatusFlags.NotValidForUsage) || !IsClientCertificate(elements[0].Certificate)
                ? CertificateRefusal.WrongUsage
                : status == X509ChainStatusFlags.NoError ? CertificateRefusal.None : CertificateRefusal.InvalidChain;
        }

        for (var i = 0; refusal == CertificateRefusal.None && i < anchorIndex; i++)
        {
            var serial = CertificateIdentity.SerialNumber(elements[i].Certificate);
            if (revocations.IsRevoked(elements[i + 1].Certificate, serial))
            {
                refusal = CertificateRefusal.Revoked;
            }
        }

        return refusal == CertificateRefusal.None
            ? CertificateValidationResult.Trusted(anchor)
            : CertificateValidationResult.Refused(refusal);
    }

    private static CertificateRefusal DateRefusal(X509Certificate2 certificate, DateTime now, CertificateRefusal expired, CertificateRefusal notYetValid) =>
        now > certificate.NotAfter.ToUniversalTime() ? expired
        : now < certificate.NotBefore.ToUniversalTime() ? notYetValid
        : CertificateRefusal.None;

    // RFC 5280 §4.2.1.3 and §4.2.1.9: a TLS client signs the handshake, and a CA certificate is not a client.
    private static bool IsClientCertificate(X509Certificate2 certificate)
    {
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().SingleOrDefault();
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
        return (usage is null || usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
            && constraints is not { CertificateAuthority: true };
    }

    // RFC 5280 §4.2.1.9 and §4.2.1.3: an anchor that says it is no CA, or may not sign certificates, vouches for
    // nobody, even if an operator imported it by mistake. A version 1 root has no extensions and is let through.
    private static bool MayIssue(X509Certificate2 anchor)
    {
        var constraints = anchor.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
        var usage = anchor.Extensions.OfType<X509KeyUsageExtension>().SingleOrDefault();
        return (constraints is null ? anchor.Version < 3 : constraints.CertificateAuthority)
            && (usage is null || usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
    }

    private static X509ChainStatusFlags Flags(X509ChainStatus[] statuses)
    {
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in statuses)
        {
            flags |= status.Status;
        }

        return flags;
    }
}
