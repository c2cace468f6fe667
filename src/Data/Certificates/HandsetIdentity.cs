using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// A handset proven by its certificate (shared/DESIGN.md, "Identity of a handset"). <see cref="Successor"/> is set when
/// the handset presented the renewal of its enrolled certificate rather than that certificate itself.
/// </summary>
public sealed record HandsetIdentity(Device Device, string Mac, string Fingerprint, string Subject, TrustAnchor Anchor,
    DeviceCertificate? Successor = null);
