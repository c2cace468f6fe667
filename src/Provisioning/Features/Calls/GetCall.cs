using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Calls;

public static class GetCall
{
    public static async Task<Results<Ok<CallResponse>, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid callId, PbxDbContext db,
        CancellationToken ct)
    {
        var call = await db.CallRecords.AsNoTracking().ForTenant(tenantId).Where(c => c.Id == callId).Select(CallResponse.Projection)
            .SingleOrDefaultAsync(ct);
        return call is null ? ApiErrors.NotFound("call") : TypedResults.Ok(call);
    }
}
