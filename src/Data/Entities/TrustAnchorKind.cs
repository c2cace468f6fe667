namespace HostedPbx.Data.Entities;

/// <summary>What a trust anchor is for.</summary>
public enum TrustAnchorKind
{
    PlatformRoot,
    PlatformDeviceIssuer,
    Vendor,
}
