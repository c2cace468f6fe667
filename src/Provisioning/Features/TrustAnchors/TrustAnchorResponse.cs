using System.Linq.Expressions;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.TrustAnchors;

public sealed record TrustAnchorResponse(Guid Id, TrustAnchorKind Kind, DeviceVendor? Vendor, string Name, string Subject, string Fingerprint,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, MacLocation MacLocation, bool Enabled, IReadOnlyList<string> MacPrefixes)
{
    public static readonly Expression<Func<TrustAnchor, TrustAnchorResponse>> Projection = a => new TrustAnchorResponse(a.Id, a.Kind, a.Vendor,
        a.Name, a.Subject, a.Fingerprint, a.NotBefore, a.NotAfter, a.MacLocation, a.Enabled, a.MacPrefixes);
}
