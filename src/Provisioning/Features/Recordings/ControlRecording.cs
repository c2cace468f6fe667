using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Data.Recordings;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>
/// PCI pause and resume of a call's recording while a card number is spoken: handed to the switch that records it
/// (<see cref="RecordingControl"/> over NOTIFY), which keeps the gap as silence and marks it in the manifest with who
/// paused. Refused with 409 when nothing is being recorded on the call. Audited.
/// </summary>
public static class ControlRecording
{
    public static Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> PauseAsync(
        Guid tenantId, Guid callId, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        HandleAsync(tenantId, callId, pause: true, db, http, time, ct);

    public static Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ResumeAsync(
        Guid tenantId, Guid callId, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        HandleAsync(tenantId, callId, pause: false, db, http, time, ct);

    private static async Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid callId, bool pause, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (!await db.CallRecords.AsNoTracking().ForTenant(tenantId).AnyAsync(c => c.Id == callId, ct))
        {
            return ApiErrors.NotFound("call");
        }

        var recording = await db.Recordings.AsNoTracking().ForTenant(tenantId)
            .Where(r => r.CallRecordId == callId && r.Status == RecordingStatus.Recording).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        if (recording is null)
        {
            return ApiErrors.Conflict("Nothing is being recorded on this call: there is nothing to pause or resume.");
        }

        var caller = ApiCaller.From(http);
        var control = new RecordingControl(pause, callId, $"API key {caller.KeyName}");
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({RecordingControl.Channel}, {control.ToPayload()})", ct);
        RecordingAccess.Audit(db, http, time, pause ? "recording.pause" : "recording.resume", tenantId, recording);
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted((string?)null);
    }
}
