using HostedPbx.Data;
using HostedPbx.Data.Recordings;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning.Features.LegalHolds;

/// <summary>
/// Lifts a legal hold, with a reason: what it covered may be deleted again under retention. A hold already lifted is a
/// 409. The rule is <see cref="LegalHolding"/> (the portal calls the same). Audited.
/// </summary>
public static class LiftLegalHold
{
    public sealed record Request(string? Reason);

    public static async Task<Results<Ok<LegalHoldResponse>, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ValidationProblem>> HandleAsync(
        Guid tenantId, Guid holdId, Request? request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        var now = time.GetUtcNow();
        var result = await LegalHolding.LiftAsync(db, tenantId, holdId, request?.Reason, $"API key {caller.KeyName}", now, ct);
        if (result.NotFound)
        {
            return ApiErrors.NotFound("legal hold");
        }

        if (result.Hold is not { } hold)
        {
            return result.Field is { } field ? ApiErrors.Invalid(field, result.Problem!) : ApiErrors.Conflict(result.Problem!);
        }

        db.AuditEvents.Add(caller.Audit(now, "legal-hold.lift", "legal-hold", hold.Id, tenantId, reason: $"{hold.Scope}: {hold.LiftReason}"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(LegalHoldResponse.From(hold));
    }
}
