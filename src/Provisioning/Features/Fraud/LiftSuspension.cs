using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Fraud;

/// <summary>An admin lifts the suspension the burst rule put on the tenant's outbound calls; the audit log keeps both.</summary>
public static class LiftSuspension
{
    public static async Task<Results<Ok<FraudSettingsResponse>, Conflict<ProblemDetails>>> HandleAsync(Guid tenantId, HttpContext http,
        PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var settings = await db.PstnSettings.ForTenant(tenantId).SingleOrDefaultAsync(ct);
        if (settings?.OutboundSuspendedAt is null)
        {
            return ApiErrors.Conflict("Outbound calls of this tenant are not suspended.");
        }

        var reason = settings.SuspensionReason;
        settings.OutboundSuspendedAt = null;
        settings.SuspensionReason = null;
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "pstn.outbound-resume", "tenant", tenantId, tenantId,
            reason: $"lifted the suspension: {reason}"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(FraudSettingsResponse.From(tenantId, settings));
    }
}
