using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class DeleteTrunk
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid trunkId, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var trunk = await db.Trunks.ForTenant(tenantId).SingleOrDefaultAsync(t => t.Id == trunkId, ct);
        if (trunk is null)
        {
            return ApiErrors.NotFound("trunk");
        }

        if (await TrunkChanges.DeleteProblemAsync(db, tenantId, trunkId, ct) is { } problem)
        {
            return ApiErrors.Conflict(problem.Message);
        }

        db.Trunks.Remove(trunk);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "trunk.delete", "trunk", trunkId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
