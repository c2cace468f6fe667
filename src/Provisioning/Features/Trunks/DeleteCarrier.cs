using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class DeleteCarrier
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid carrierId, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var carrier = await db.Carriers.SingleOrDefaultAsync(c => c.Id == carrierId, ct);
        if (carrier is null)
        {
            return ApiErrors.NotFound("carrier");
        }

        if (await CarrierChanges.DeleteProblemAsync(db, carrierId, ct) is { } problem)
        {
            return ApiErrors.Conflict(problem.Message);
        }

        db.Carriers.Remove(carrier);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "carrier.delete", "carrier", carrierId, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
