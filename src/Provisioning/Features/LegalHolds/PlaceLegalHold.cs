using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HostedPbx.Provisioning.Features.LegalHolds;

/// <summary>
/// Places a legal hold on the tenant, one of its extensions or one of its recordings: from now on nothing it covers is
/// deleted, by the retention job or anyone, until it is lifted. An extension or recording of another tenant is refused
/// as unknown. The rule is <see cref="LegalHolding"/> (the portal calls the same). Audited.
/// </summary>
public static class PlaceLegalHold
{
    public sealed record Request(string? Scope, Guid? ExtensionId, Guid? RecordingId, string? Reason);

    public static async Task<Results<Created<LegalHoldResponse>, ValidationProblem>> HandleAsync(
        Guid tenantId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.TryParse<LegalHoldScope>(request.Scope, ignoreCase: true, out var scope) || !Enum.IsDefined(scope))
        {
            return ApiErrors.Invalid(nameof(Request.Scope), "Scope is one of Tenant, Extension, Recording.");
        }

        var caller = ApiCaller.From(http);
        var now = time.GetUtcNow();
        var result = await LegalHolding.PlaceAsync(db, tenantId, scope, request.ExtensionId, request.RecordingId, request.Reason, $"API key {caller.KeyName}", now, ct);
        if (result.Hold is not { } hold)
        {
            return ApiErrors.Invalid(result.Field!, result.Problem!);
        }

        db.AuditEvents.Add(caller.Audit(now, "legal-hold.place", "legal-hold", hold.Id, tenantId, reason: $"{scope}: {hold.Reason}"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/legal-holds/{hold.Id}", LegalHoldResponse.From(hold));
    }
}
