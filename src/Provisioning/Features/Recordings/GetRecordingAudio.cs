using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>
/// A recording as WAV, decrypted as it streams (never to disk), with range requests so a player can seek. It is checked
/// against its signed manifest first: a file failing its hash is never served as if good. Every play is audited.
/// </summary>
public static class GetRecordingAudio
{
    public static async Task<Results<FileStreamHttpResult, NotFound<ProblemDetails>, ProblemHttpResult>> HandleAsync(
        Guid tenantId, Guid recordingId, PbxDbContext db, HttpContext http, IConfiguration configuration, KeyProtector protector, TimeProvider time,
        CancellationToken ct)
    {
        var recording = await db.Recordings.AsNoTracking().ForTenant(tenantId).SingleOrDefaultAsync(r => r.Id == recordingId, ct);
        if (recording is null || !await RecordingAccess.MayListenAsync(db, http, tenantId, ct))
        {
            RecordingAccess.Audit(db, http, time, "recording.play", tenantId, recordingId, AuditOutcome.Denied,
                recording is null ? "no such recording in the tenant" : RecordingAccess.RefusalReason(http));
            await db.SaveChangesAsync(ct);
            return ApiErrors.NotFound("recording");
        }

        if (recording.Status != RecordingStatus.Complete)
        {
            return TypedResults.Problem(statusCode: 409, title: "Recording not playable",
                detail: recording.Status == RecordingStatus.Recording ? "The call is still being recorded." : $"The recording is {recording.Status.ToString().ToLowerInvariant()}.");
        }

        var verifier = RecordingAccess.Verifier(configuration, protector);
        if (await verifier.CheckAsync(db, recording, ct) is { } finding)
        {
            RecordingAccess.Audit(db, http, time, "recording.play", tenantId, recordingId, AuditOutcome.Failed, finding.Detail);
            await db.SaveChangesAsync(ct);
            return TypedResults.Problem(statusCode: 409, title: "Recording failed verification",
                detail: $"The recording failed verification ({finding.Problem.ToString().ToLowerInvariant()}: {finding.Detail}); it is not served.");
        }

        RecordingAccess.Audit(db, http, time, "recording.play", tenantId, recordingId);
        await db.SaveChangesAsync(ct);
        var (reader, wav) = verifier.OpenWav(recording);
        http.Response.RegisterForDispose(reader);
        return TypedResults.Stream(wav, "audio/wav", $"recording-{recordingId:D}.wav", enableRangeProcessing: true);
    }
}
