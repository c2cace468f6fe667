using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Recordings;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>The tenant's recordings, newest first: by time, party (caller or callee), direction (call type), shortest duration and policy. Audited.</summary>
public static class SearchRecordings
{
    public static async Task<Results<Ok<Page<RecordingResponse>>, NotFound<ProblemDetails>>> HandleAsync(
        Guid tenantId, [AsParameters] PageRequest paging, DateTimeOffset? from, DateTimeOffset? to, string? party, CallType? direction, int? minSeconds, Guid? policyId,
        PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (!await RecordingAccess.MayListenAsync(db, http, tenantId, ct))
        {
            RecordingAccess.Audit(db, http, time, "recording.search", tenantId, null, AuditOutcome.Denied, RecordingAccess.RefusalReason(http));
            await db.SaveChangesAsync(ct);
            return ApiErrors.NotFound("recordings");
        }

        var query = new RecordingSearch(from, to, party, direction, minSeconds, policyId).Apply(db.Recordings.AsNoTracking().ForTenant(tenantId));
        var page = await paging.ToPageAsync(query.OrderByDescending(r => r.StartedAt).Select(RecordingResponse.Projection), ct);
        RecordingAccess.Audit(db, http, time, "recording.search", tenantId, null);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(page);
    }
}
