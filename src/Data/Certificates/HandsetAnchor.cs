using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// A trust anchor as <see cref="HandsetTrust"/> needs it: what it is, which vendor it speaks for (vendor anchors only),
/// where its certificates carry the MAC, and the MAC prefixes (OUIs, or longer blocks) it may vouch for; none means
/// every MAC of its vendor.
/// </summary>
public sealed record HandsetAnchor(
    string Name,
    X509Certificate2 Certificate,
    TrustAnchorKind Kind,
    DeviceVendor? Vendor,
    MacLocation MacLocation,
    IReadOnlyList<string> MacPrefixes)
{
    /// <summary>The anchor's row, where the caller has one (provisioning); the switch's snapshot leaves it empty.</summary>
    public Guid Id { get; init; }

    /// <summary>Whether <paramref name="mac"/> (12 lowercase hex digits) falls in this anchor's ranges.</summary>
    public bool Covers(string mac) => MacPrefixes.Count == 0 || MacPrefixes.Any(p => mac.StartsWith(p, StringComparison.Ordinal));
}
