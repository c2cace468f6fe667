using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>The tenant's recordings, newest first: by time, party (caller or callee), shortest duration and policy. Audited.</summary>
public static class SearchRecordings
{
    public static async Task<Results<Ok<Page<RecordingResponse>>, NotFound<ProblemDetails>>> HandleAsync(
        Guid tenantId, [AsParameters] PageRequest paging, DateTimeOffset? from, DateTimeOffset? to, string? party, int? minSeconds, Guid? policyId,
        PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (!await RecordingAccess.GrantedAsync(db, tenantId, ct))
        {
            RecordingAccess.Audit(db, http, time, "recording.search", tenantId, null, Data.Entities.AuditOutcome.Denied, "the tenant has not granted its reseller and the operator access to recordings");
            await db.SaveChangesAsync(ct);
            return ApiErrors.NotFound("recordings");
        }

        var query = db.Recordings.AsNoTracking().ForTenant(tenantId);
        if (from is { } since)
        {
            query = query.Where(r => r.StartedAt >= since);
        }

        if (to is { } until)
        {
            query = query.Where(r => r.StartedAt < until);
        }

        if (!string.IsNullOrWhiteSpace(party))
        {
            query = query.Where(r => r.CallRecord!.FromParty == party || r.CallRecord.ToParty == party);
        }

        if (minSeconds is { } seconds)
        {
            query = query.Where(r => r.DurationMs >= seconds * 1000);
        }

        if (policyId is { } policy)
        {
            query = query.Where(r => r.RecordingPolicyId == policy);
        }

        var page = await paging.ToPageAsync(query.OrderByDescending(r => r.StartedAt).Select(RecordingResponse.Projection), ct);
        RecordingAccess.Audit(db, http, time, "recording.search", tenantId, null);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(page);
    }
}
