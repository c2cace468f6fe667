using HostedPbx.Data;
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

        if (await db.Trunks.AnyAsync(t => t.CarrierId == carrierId, ct))
        {
            return ApiErrors.Conflict("Tenants' trunks use this carrier; move them to another first.");
        }

        db.Carriers.Remove(carrier);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "carrier.delete", "carrier", carrierId, null));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
