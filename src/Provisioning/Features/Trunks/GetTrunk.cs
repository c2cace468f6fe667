using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class GetTrunk
{
    public static async Task<Results<Ok<TrunkResponse>, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid trunkId, PbxDbContext db,
        CancellationToken ct) =>
        await db.Trunks.AsNoTracking().ForTenant(tenantId).Where(t => t.Id == trunkId).Select(TrunkResponse.Projection).SingleOrDefaultAsync(ct)
            is { } trunk ? TypedResults.Ok(trunk) : ApiErrors.NotFound("trunk");
}
