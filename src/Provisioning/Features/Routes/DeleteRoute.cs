using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Routes;

public static class DeleteRoute
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid routeId, HttpContext http,
        PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var route = await db.OutboundRoutes.ForTenant(tenantId).SingleOrDefaultAsync(r => r.Id == routeId, ct);
        if (route is null)
        {
            return ApiErrors.NotFound("route");
        }

        db.OutboundRoutes.Remove(route);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "route.delete", "route", routeId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
