using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.LegalHolds;

/// <summary>Lifts a legal hold: what it covered may be deleted again under retention. A hold already lifted is a 409. Audited.</summary>
public static class LiftLegalHold
{
    public static async Task<Results<Ok<LegalHoldResponse>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid holdId, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var hold = await db.LegalHolds.ForTenant(tenantId).SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null)
        {
            return ApiErrors.NotFound("legal hold");
        }

        if (hold.LiftedAt is not null)
        {
            return ApiErrors.Conflict("This legal hold has already been lifted.");
        }

        var caller = ApiCaller.From(http);
        var now = time.GetUtcNow();
        hold.LiftedAt = now;
        hold.LiftedBy = $"API key {caller.KeyName}";
        db.AuditEvents.Add(caller.Audit(now, "legal-hold.lift", "legal-hold", hold.Id, tenantId, reason: $"{hold.Scope}: {hold.Reason}"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(LegalHoldResponse.From(hold));
    }
}
