using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Certificates;

/// <summary>A handset proven by its certificate (shared/DESIGN.md, "Identity of a handset").</summary>
public sealed record HandsetIdentity(Device Device, string Mac, string Fingerprint, string Subject, TrustAnchor Anchor);
