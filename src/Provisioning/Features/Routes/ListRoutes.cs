using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Routes;

public static class ListRoutes
{
    public static async Task<Ok<Page<RouteResponse>>> HandleAsync(Guid tenantId, [AsParameters] PageRequest paging, PbxDbContext db,
        CancellationToken ct) =>
        TypedResults.Ok(await paging.ToPageAsync(
            db.OutboundRoutes.AsNoTracking().ForTenant(tenantId).OrderBy(r => r.Priority).Select(RouteResponse.Projection), ct));
}
