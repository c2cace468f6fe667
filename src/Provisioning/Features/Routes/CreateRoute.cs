using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Routes;

public static class CreateRoute
{
    public static async Task<Results<Created<RouteResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, RouteSettings request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (await RouteChanges.CheckAsync(db, tenantId, request, null, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        var route = new OutboundRoute { TenantId = tenantId, Name = request.Name, Pattern = request.Pattern };
        RouteChanges.Apply(route, request);
        db.OutboundRoutes.Add(route);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "route.create", "route", route.Id, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/routes/{route.Id}", RouteResponse.From(route));
    }
}
