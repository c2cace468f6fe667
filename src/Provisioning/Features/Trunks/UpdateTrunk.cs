using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class UpdateTrunk
{
    public static async Task<Results<Ok<TrunkResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid trunkId, TrunkSettings request, HttpContext http, PbxDbContext db, KeyProtector protector, TimeProvider time,
        CancellationToken ct)
    {
        var trunk = await db.Trunks.ForTenant(tenantId).SingleOrDefaultAsync(t => t.Id == trunkId, ct);
        if (trunk is null)
        {
            return ApiErrors.NotFound("trunk");
        }

        var caller = ApiCaller.From(http);
        if (await TrunkChanges.CheckAsync(db, tenantId, request, caller.IsOperator, trunk, ct) is { } problem)
        {
            return problem.IsConflict ? ApiErrors.Conflict(problem.Message) : ApiErrors.Invalid(problem.Field, problem.Message);
        }

        TrunkChanges.Apply(trunk, request, protector);
        db.AuditEvents.Add(caller.Audit(time.GetUtcNow(), "trunk.update", "trunk", trunk.Id, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TrunkResponse.From(trunk));
    }
}
