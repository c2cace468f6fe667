using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Fraud;

/// <summary>
/// An admin lifts the suspension the burst rule put on the tenant's outbound calls, with a reason; the audit log keeps
/// why it was suspended and why it was lifted. The rule is <see cref="FraudSuspension"/> (the portal calls the same).
/// </summary>
public static class LiftSuspension
{
    public sealed record Request(string? Reason);

    public static async Task<Results<Ok<FraudSettingsResponse>, Conflict<ProblemDetails>, ValidationProblem>> HandleAsync(Guid tenantId,
        Request? request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var settings = await db.PstnSettings.ForTenant(tenantId).SingleOrDefaultAsync(ct);
        if (FraudSuspension.Problem(settings, request?.Reason) is { } problem)
        {
            return settings?.OutboundSuspendedAt is null ? ApiErrors.Conflict(problem) : ApiErrors.Invalid(nameof(Request.Reason), problem);
        }

        var audit = FraudSuspension.Lift(settings!, request!.Reason!);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), FraudAuditActions.Resume, "tenant", tenantId, tenantId, reason: audit));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(FraudSettingsResponse.From(tenantId, settings!));
    }
}
