using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Routes;

public sealed record RouteResponse(Guid Id, Guid TenantId, string Name, string Pattern, int Priority, Guid[] TrunkIds, bool Enabled,
    string? CallerId)
{
    public static readonly Expression<Func<OutboundRoute, RouteResponse>> Projection = r => new RouteResponse(r.Id, r.TenantId, r.Name,
        r.Pattern, r.Priority, r.TrunkIds, r.Enabled, r.CallerId);

    private static readonly Func<OutboundRoute, RouteResponse> s_from = Projection.Compile();

    public static RouteResponse From(OutboundRoute r) => s_from(r);
}
