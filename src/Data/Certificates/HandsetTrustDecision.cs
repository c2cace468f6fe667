using System.Diagnostics.CodeAnalysis;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// The outcome of <see cref="HandsetTrust.Decide"/>: the device and the anchor that vouched for it, or the reason for
/// the refusal (for the audit log only; the peer is never told). <see cref="Mac"/> is set once the certificate named one.
/// </summary>
public sealed record HandsetTrustDecision(HandsetOnRecord? Device, HandsetAnchor? Anchor, string? Mac, string? Fingerprint, string? Refusal)
{
    [MemberNotNullWhen(true, nameof(Device), nameof(Anchor), nameof(Mac), nameof(Fingerprint))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAccepted => Refusal is null;

    /// <summary>The handset presented the renewal of its enrolled certificate rather than that certificate itself.</summary>
    public bool IsRenewal => IsAccepted && Device.EnrolledFingerprint is not null
        && !string.Equals(Device.EnrolledFingerprint, Fingerprint, StringComparison.OrdinalIgnoreCase);

    internal static HandsetTrustDecision Refused(string reason, string? mac = null) => new(null, null, mac, null, reason);
}
