using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class CreateTrunk
{
    public static async Task<Results<Created<TrunkResponse>, ValidationProblem, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, TrunkSettings request, HttpContext http, PbxDbContext db, KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        if (await TrunkChanges.CheckAsync(db, tenantId, request, caller.IsOperator, null, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        var now = time.GetUtcNow();
        var trunk = new Trunk { TenantId = tenantId, Name = request.Name, CreatedAt = now };
        TrunkChanges.Apply(trunk, request, protector);
        db.Trunks.Add(trunk);
        db.AuditEvents.Add(caller.Audit(now, "trunk.create", "trunk", trunk.Id, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/trunks/{trunk.Id}", TrunkResponse.From(trunk));
    }
}
