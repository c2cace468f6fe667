using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class GetTrunk
{
    public static async Task<Results<Ok<TrunkResponse>, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid trunkId, PbxDbContext db,
        CancellationToken ct)
    {
        if (await db.Trunks.AsNoTracking().ForTenant(tenantId).Where(t => t.Id == trunkId).Select(TrunkResponse.Projection).SingleOrDefaultAsync(ct) is not { } trunk)
        {
            return ApiErrors.NotFound("trunk");
        }

        // Issue 11: the trunk's state as the switch nodes' keep-alive finds it.
        var states = await TrunkStateSummary.LoadAsync(db, [trunk.Id], ct);
        return TypedResults.Ok(trunk.WithState(states[trunk.Id]));
    }
}
