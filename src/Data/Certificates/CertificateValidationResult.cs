using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>The outcome of <see cref="ClientCertificateValidator.Validate"/>: the anchor the chain reached, or why not.</summary>
public sealed record CertificateValidationResult
{
    private CertificateValidationResult(X509Certificate2? anchor, CertificateRefusal refusal)
    {
        Anchor = anchor;
        Refusal = refusal;
    }

    /// <summary>The caller's own anchor instance the chain reached; null when refused.</summary>
    public X509Certificate2? Anchor { get; }

    /// <summary>For the audit log only; never tell the peer.</summary>
    public CertificateRefusal Refusal { get; }

    [MemberNotNullWhen(true, nameof(Anchor))]
    public bool IsTrusted => Refusal == CertificateRefusal.None;

    internal static CertificateValidationResult Trusted(X509Certificate2 anchor) => new(anchor, CertificateRefusal.None);

    internal static CertificateValidationResult Refused(CertificateRefusal refusal) => new(null, refusal);
}
