namespace HostedPbx.Data.Certificates;

/// <summary>
/// What <see cref="HandsetTrust.Decide"/> reads: the enabled trust anchors, our revocations and the devices by MAC
/// (12 lowercase hex digits). The switch builds it from its cached directory; provisioning from the database, with
/// only the devices whose MACs the presented certificate could name.
/// </summary>
public sealed record HandsetTrustSnapshot(
    IReadOnlyList<HandsetAnchor> Anchors,
    IRevocationLookup Revocations,
    Func<string, HandsetOnRecord?> FindDevice);
