using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Recordings;
using HostedPbx.Web.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Features.Recordings;

/// <summary>
/// A recording's audio for the portal's player and download link, and an export ZIP, as plain GETs (a circuit cannot
/// stream a file): decrypted as it streams, never to disk, with range requests so the player can seek. Each recording
/// is checked against its signed manifest first and refused with a readable message when it fails; every play,
/// download and export is an audit event with who, what, when and from where.
/// </summary>
public static class RecordingFileEndpoints
{
    public static string AudioPath(Guid tenantId, Guid recordingId, bool download = false) =>
        $"/recording-audio/{tenantId:D}/{recordingId:D}{(download ? "?download=true" : "")}";

    public static string ExportPath(Guid tenantId, IEnumerable<Guid> ids) =>
        $"/recording-export/{tenantId:D}?ids={string.Join(',', ids.Select(i => i.ToString("D")))}";

    public static IEndpointRouteBuilder MapRecordingFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/recording-audio/{tenantId:guid}/{recordingId:guid}", AudioAsync).RequireAuthorization();
        app.MapGet("/recording-export/{tenantId:guid}", ExportAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> AudioAsync(Guid tenantId, Guid recordingId, bool? download, HttpContext http,
        IDbContextFactory<PbxDbContext> factory, IConfiguration configuration, KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        var caller = PortalCaller.From(http.User);
        var action = download == true ? "recording.download" : "recording.play";
        if (caller is null)
        {
            return NotFound();
        }

        await using var db = await factory.CreateAsync(caller);
        var now = time.GetUtcNow();
        var refusal = await PortalRecordingAccess.RefusalAsync(db, caller, tenantId, PortalAction.ViewRecordings, ct);
        var recording = refusal is null
            ? await db.Recordings.AsNoTracking().ForTenant(tenantId).SingleOrDefaultAsync(r => r.Id == recordingId && r.Status == RecordingStatus.Complete, ct)
            : null;
        if (recording is null)
        {
            db.AuditEvents.Add(PortalRecordingAccess.Audit(caller, http, now, action, tenantId, recordingId, AuditOutcome.Denied,
                refusal?.Reason ?? "no such completed recording in the tenant", refusal?.TenantInScope ?? true));
            await db.SaveChangesAsync(ct);
            return NotFound();
        }

        var verifier = new RecordingVerifier(RecordingFolder.Resolve(configuration), protector);
        if (await verifier.CheckAsync(db, recording, ct) is { } finding)
        {
            db.AuditEvents.Add(PortalRecordingAccess.Audit(caller, http, now, action, tenantId, recordingId, AuditOutcome.Failed, finding.Detail));
            await db.SaveChangesAsync(ct);
            return FailedVerification();
        }

        db.AuditEvents.Add(PortalRecordingAccess.Audit(caller, http, now, action, tenantId, recordingId));
        await db.SaveChangesAsync(ct);
        var (reader, wav) = verifier.OpenWav(recording);
        http.Response.RegisterForDispose(reader);
        return TypedResults.File(wav, "audio/wav", download == true ? $"recording-{recording.StartedAt:yyyyMMdd-HHmmss}-{recordingId:N}.wav" : null,
            enableRangeProcessing: true);
    }

    private static async Task<IResult> ExportAsync(Guid tenantId, string? ids, HttpContext http, IDbContextFactory<PbxDbContext> factory,
        IConfiguration configuration, KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        var caller = PortalCaller.From(http.User);
        if (caller is null)
        {
            return NotFound();
        }

        var named = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(i => Guid.TryParse(i, out var id) ? id : Guid.Empty).Where(i => i != Guid.Empty).Distinct().ToList();
        await using var db = await factory.CreateAsync(caller);
        var now = time.GetUtcNow();
        var refusal = await PortalRecordingAccess.RefusalAsync(db, caller, tenantId, PortalAction.ExportRecordings, ct);
        if (refusal is not null || named.Count == 0)
        {
            db.AuditEvents.Add(PortalRecordingAccess.Audit(caller, http, now, "recording.export", tenantId, null, AuditOutcome.Denied,
                refusal?.Reason ?? "no recordings named", refusal?.TenantInScope ?? true));
            await db.SaveChangesAsync(ct);
            return NotFound();
        }

        if (named.Count > RecordingExport.MaxRecordings)
        {
            return TypedResults.Problem(statusCode: 400, title: "Too many recordings",
                detail: $"An export holds at most {RecordingExport.MaxRecordings} recordings; choose fewer.");
        }

        var export = new RecordingExport(new RecordingVerifier(RecordingFolder.Resolve(configuration), protector));
        var plan = await export.PlanAsync(db, tenantId, named, ct);
        if (plan.IsEmpty)
        {
            return NotFound();
        }

        if (plan.Failures.Count > 0)
        {
            foreach (var failure in plan.Failures)
            {
                db.AuditEvents.Add(PortalRecordingAccess.Audit(caller, http, now, "recording.export", tenantId, failure.RecordingId, AuditOutcome.Failed, failure.Detail));
            }

            await db.SaveChangesAsync(ct);
            return FailedVerification();
        }

        foreach (var recording in plan.Recordings)
        {
            db.AuditEvents.Add(PortalRecordingAccess.Audit(caller, http, now, "recording.export", tenantId, recording.Id));
        }

        await db.SaveChangesAsync(ct);
        // ZipArchive writes its entries synchronously, straight into the response: nothing decrypted is buffered or put on disk.
        http.Features.Get<IHttpBodyControlFeature>()?.AllowSynchronousIO = true;
        return TypedResults.Stream(body =>
        {
            export.Write(plan, body);
            return Task.CompletedTask;
        }, "application/zip", $"recordings-{now:yyyyMMdd-HHmmss}.zip");
    }

    private static ContentHttpResult NotFound() => TypedResults.Content("Not found: there is no such recording, or it is not yours to hear.", "text/plain", statusCode: 404);

    private static ContentHttpResult FailedVerification() => TypedResults.Content(
        "This recording failed verification (its file is missing, damaged or was altered), so it is not played, downloaded or exported.",
        "text/plain", statusCode: StatusCodes.Status409Conflict);
}
