using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Recordings;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>
/// A ZIP of recordings, named by id or by a search: decrypted WAVs, signed manifests, the chain segment, the public key
/// and a README with the openssl commands that check them (<see cref="RecordingExport"/>). Recordings failing
/// verification are never exported as good: the whole export is refused and names them. Audited per recording.
/// </summary>
public static class ExportRecordings
{
    public sealed record Request(IReadOnlyList<Guid>? Ids, DateTimeOffset? From, DateTimeOffset? To, string? Party, CallType? Direction,
        int? MinSeconds, Guid? PolicyId);

    public static async Task<Results<PushStreamHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> HandleAsync(
        Guid tenantId, Request request, PbxDbContext db, HttpContext http, IConfiguration configuration, KeyProtector protector, TimeProvider time,
        CancellationToken ct)
    {
        if (!await RecordingAccess.MayListenAsync(db, http, tenantId, ct))
        {
            RecordingAccess.Audit(db, http, time, "recording.export", tenantId, null, AuditOutcome.Denied, RecordingAccess.RefusalReason(http));
            await db.SaveChangesAsync(ct);
            return ApiErrors.NotFound("recordings");
        }

        var ids = request.Ids is { Count: > 0 } named
            ? named.Distinct().ToList()
            : await new RecordingSearch(request.From, request.To, request.Party, request.Direction, request.MinSeconds, request.PolicyId)
                .Apply(db.Recordings.AsNoTracking().ForTenant(tenantId)).OrderBy(r => r.ChainIndex).Select(r => r.Id)
                .Take(RecordingExport.MaxRecordings + 1).ToListAsync(ct);
        if (ids.Count > RecordingExport.MaxRecordings)
        {
            return TypedResults.Problem(statusCode: 400, title: "Too many recordings",
                detail: $"An export holds at most {RecordingExport.MaxRecordings} recordings; name fewer ids or narrow the search.");
        }

        var export = new RecordingExport(RecordingAccess.Verifier(configuration, protector));
        var plan = await export.PlanAsync(db, tenantId, ids, ct);
        if (plan.IsEmpty)
        {
            return ApiErrors.NotFound("recordings");
        }

        if (plan.Failures.Count > 0)
        {
            foreach (var failure in plan.Failures)
            {
                RecordingAccess.Audit(db, http, time, "recording.export", tenantId, failure.RecordingId, AuditOutcome.Failed, failure.Detail);
            }

            await db.SaveChangesAsync(ct);
            return TypedResults.Problem(statusCode: 409, title: "Recording failed verification",
                detail: $"Not exported: {string.Join(", ", plan.Failures.Select(f => $"{f.RecordingId} ({f.Problem.ToString().ToLowerInvariant()})"))} failed verification.");
        }

        foreach (var recording in plan.Recordings)
        {
            RecordingAccess.Audit(db, http, time, "recording.export", tenantId, recording.Id);
        }

        await db.SaveChangesAsync(ct);
        // ZipArchive writes its entries synchronously, straight into the response: nothing decrypted is buffered or put on disk.
        http.Features.Get<IHttpBodyControlFeature>()?.AllowSynchronousIO = true;
        return TypedResults.Stream(body =>
        {
            export.Write(plan, body);
            return Task.CompletedTask;
        }, "application/zip", $"recordings-{tenantId:D}.zip");
    }
}
