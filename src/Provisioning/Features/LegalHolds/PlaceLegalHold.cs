using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.LegalHolds;

/// <summary>
/// Places a legal hold on the tenant, one of its extensions or one of its recordings: from now on nothing it covers is
/// deleted, by the retention job or anyone, until it is lifted. An extension or recording of another tenant is refused
/// as unknown. Audited.
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

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
        {
            return ApiErrors.Invalid(nameof(Request.Reason), "A reason (at most 500 characters) is required.");
        }

        var (extensionId, recordingId) = scope switch
        {
            LegalHoldScope.Tenant => ((Guid?)null, (Guid?)null),
            LegalHoldScope.Extension => (request.ExtensionId, null),
            LegalHoldScope.Recording => (null, request.RecordingId),
            _ => throw new ArgumentOutOfRangeException(nameof(request), scope, null),
        };
        if (scope == LegalHoldScope.Extension
            && (extensionId is not { } extension || !await db.Extensions.AsNoTracking().ForTenant(tenantId).AnyAsync(e => e.Id == extension, ct)))
        {
            return ApiErrors.Invalid(nameof(Request.ExtensionId), "No such extension in this tenant.");
        }

        if (scope == LegalHoldScope.Recording
            && (recordingId is not { } recording || !await db.Recordings.AsNoTracking().ForTenant(tenantId).AnyAsync(r => r.Id == recording, ct)))
        {
            return ApiErrors.Invalid(nameof(Request.RecordingId), "No such recording in this tenant.");
        }

        var caller = ApiCaller.From(http);
        var now = time.GetUtcNow();
        var hold = new LegalHold
        {
            TenantId = tenantId, Scope = scope, ExtensionId = extensionId, RecordingId = recordingId, Reason = request.Reason.Trim(),
            PlacedBy = $"API key {caller.KeyName}", PlacedAt = now,
        };
        db.LegalHolds.Add(hold);
        db.AuditEvents.Add(caller.Audit(now, "legal-hold.place", "legal-hold", hold.Id, tenantId, reason: $"{scope}: {hold.Reason}"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/legal-holds/{hold.Id}", LegalHoldResponse.From(hold));
    }
}
