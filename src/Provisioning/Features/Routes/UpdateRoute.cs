using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Routes;

public static class UpdateRoute
{
    public static async Task<Results<Ok<RouteResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid routeId, RouteSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var route = await db.OutboundRoutes.ForTenant(tenantId).SingleOrDefaultAsync(r => r.Id == routeId, ct);
        if (route is null)
        {
            return ApiErrors.NotFound("route");
        }

        if (await RouteChanges.InvalidAsync(db, tenantId, request, ct) is { } invalid)
        {
            return invalid;
        }

        if (await RouteChanges.ConflictAsync(db, tenantId, request, routeId, ct) is { } conflict)
        {
            return conflict;
        }

        RouteChanges.Apply(route, request);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "route.update", "route", routeId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(RouteResponse.From(route));
    }
}
