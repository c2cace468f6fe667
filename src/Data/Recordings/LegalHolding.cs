using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// Placing and lifting legal holds (issue 10 items 5 and 6), the one rule the API and the portal both call: a hold
/// names the tenant, one of its extensions or one of its recordings (another tenant's is "no such"), and placing or
/// lifting one needs a reason. The hold is added to (or changed in) the context's change tracker, not saved:
/// the caller adds its audit event and saves both at once, so nothing is half-written.
/// </summary>
public static class LegalHolding
{
    public const int MaxReason = 500;

    /// <summary>The tenant's holds, in force first, newest first.</summary>
    public static IQueryable<LegalHold> List(PbxDbContext db, Guid tenantId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.LegalHolds.AsNoTracking().ForTenant(tenantId).OrderBy(h => h.LiftedAt != null).ThenByDescending(h => h.PlacedAt);
    }

    public static async Task<LegalHoldResult> PlaceAsync(
        PbxDbContext db, Guid tenantId, LegalHoldScope scope, Guid? extensionId, Guid? recordingId, string? reason, string placedBy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!Enum.IsDefined(scope))
        {
            return LegalHoldResult.Invalid("Scope", "Scope is one of Tenant, Extension, Recording.");
        }

        if (ReasonProblem(reason, "placing") is { } problem)
        {
            return LegalHoldResult.Invalid("Reason", problem);
        }

        (extensionId, recordingId) = scope switch
        {
            LegalHoldScope.Tenant => ((Guid?)null, (Guid?)null),
            LegalHoldScope.Extension => (extensionId, null),
            LegalHoldScope.Recording => (null, recordingId),
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
        };
        if (scope == LegalHoldScope.Extension
            && (extensionId is not { } extension || !await db.Extensions.AsNoTracking().ForTenant(tenantId).AnyAsync(e => e.Id == extension, cancellationToken)))
        {
            return LegalHoldResult.Invalid("ExtensionId", "No such extension in this tenant.");
        }

        if (scope == LegalHoldScope.Recording
            && (recordingId is not { } recording || !await db.Recordings.AsNoTracking().ForTenant(tenantId).AnyAsync(r => r.Id == recording, cancellationToken)))
        {
            return LegalHoldResult.Invalid("RecordingId", "No such recording in this tenant.");
        }

        var hold = new LegalHold
        {
            TenantId = tenantId, Scope = scope, ExtensionId = extensionId, RecordingId = recordingId, Reason = reason!.Trim(),
            PlacedBy = Truncate(placedBy), PlacedAt = now,
        };
        db.LegalHolds.Add(hold);
        return LegalHoldResult.Done(hold);
    }

    public static async Task<LegalHoldResult> LiftAsync(
        PbxDbContext db, Guid tenantId, Guid holdId, string? reason, string liftedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var hold = await db.LegalHolds.ForTenant(tenantId).SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken);
        if (hold is null)
        {
            return LegalHoldResult.Unknown;
        }

        if (hold.LiftedAt is not null)
        {
            return LegalHoldResult.Conflict("This legal hold has already been lifted.");
        }

        if (ReasonProblem(reason, "lifting") is { } problem)
        {
            return LegalHoldResult.Invalid("Reason", problem);
        }

        hold.LiftedAt = now;
        hold.LiftedBy = Truncate(liftedBy);
        hold.LiftReason = reason!.Trim();
        return LegalHoldResult.Done(hold);
    }

    /// <summary>What a hold covers, in words, for lists and audit reasons.</summary>
    public static string Describe(LegalHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return hold.Scope switch
        {
            LegalHoldScope.Tenant => "the whole tenant",
            LegalHoldScope.Extension => $"extension {hold.ExtensionId:D}",
            LegalHoldScope.Recording => $"recording {hold.RecordingId:D}",
            _ => hold.Scope.ToString(),
        };
    }

    private static string? ReasonProblem(string? reason, string doing) =>
        string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReason
            ? $"A reason for {doing} the hold (at most {MaxReason} characters) is required."
            : null;

    private static string Truncate(string by) => by.Length <= 200 ? by : by[..200];
}
