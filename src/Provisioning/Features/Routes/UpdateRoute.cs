using HostedPbx.Data;
using HostedPbx.Data.Pstn;
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

        if (await RouteChanges.CheckAsync(db, tenantId, request, routeId, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        RouteChanges.Apply(route, request);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "route.update", "route", routeId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(RouteResponse.From(route));
    }
}
