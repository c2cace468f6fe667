using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Numbers;

public static class DeleteNumber
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid numberId, HttpContext http,
        PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var number = await db.InboundNumbers.ForTenant(tenantId).SingleOrDefaultAsync(n => n.Id == numberId, ct);
        if (number is null)
        {
            return ApiErrors.NotFound("number");
        }

        db.InboundNumbers.Remove(number);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "number.delete", "number", numberId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
