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
/// A call's recording controlled through the API, handed to the switch that carries the call (<see cref="RecordingControl"/>
/// over NOTIFY): start and stop of an on-demand recording (issue 10 item 1, applied exactly as the start/stop feature
/// code), and PCI pause and resume (item 3: the gap kept as silence and marked in the manifest with who paused).
/// Refused with 404 for a call that is not this tenant's, and 409 saying why when the call's state does not allow it.
/// Each request and each refusal is audited.
/// </summary>
public static class ControlRecording
{
    public static Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> StartAsync(
        Guid tenantId, Guid callId, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        HandleAsync(tenantId, callId, RecordingControlAction.Start, db, http, time, ct);

    public static Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> StopAsync(
        Guid tenantId, Guid callId, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        HandleAsync(tenantId, callId, RecordingControlAction.Stop, db, http, time, ct);

    public static Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> PauseAsync(
        Guid tenantId, Guid callId, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        HandleAsync(tenantId, callId, RecordingControlAction.Pause, db, http, time, ct);

    public static Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ResumeAsync(
        Guid tenantId, Guid callId, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        HandleAsync(tenantId, callId, RecordingControlAction.Resume, db, http, time, ct);

    private static async Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid callId, RecordingControlAction action, PbxDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var call = await db.CallRecords.AsNoTracking().ForTenant(tenantId).Where(c => c.Id == callId)
            .Select(c => new { c.EndedAt, c.RecordingPolicyId }).FirstOrDefaultAsync(ct);
        if (call is null)
        {
            return ApiErrors.NotFound("call");
        }

        var recording = await db.Recordings.AsNoTracking().ForTenant(tenantId)
            .Where(r => r.CallRecordId == callId && r.Status == RecordingStatus.Recording).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        var refusal = action is RecordingControlAction.Start or RecordingControlAction.Stop
            ? await OnDemandRefusalAsync(db, tenantId, call.EndedAt, call.RecordingPolicyId, action, recording is not null, ct)
            : recording is null ? "Nothing is being recorded on this call: there is nothing to pause or resume." : null;
        var name = $"recording.{action.ToString().ToLowerInvariant()}";
        if (refusal is not null)
        {
            Audit(db, http, time, name, tenantId, callId, action, recording, AuditOutcome.Denied, refusal);
            await db.SaveChangesAsync(ct);
            return ApiErrors.Conflict(refusal);
        }

        var caller = ApiCaller.From(http);
        var control = new RecordingControl(action, callId, $"API key {caller.KeyName}");
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({RecordingControl.Channel}, {control.ToPayload()})", ct);
        Audit(db, http, time, name, tenantId, callId, action, recording, AuditOutcome.Success, null);
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted((string?)null);
    }

    // Start and stop act on the call (a start has no recording yet); pause and resume on the recording running.
    private static void Audit(PbxDbContext db, HttpContext http, TimeProvider time, string name, Guid tenantId, Guid callId,
        RecordingControlAction action, Guid? recording, AuditOutcome outcome, string? reason)
    {
        if (action is RecordingControlAction.Start or RecordingControlAction.Stop)
        {
            db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), name, "call", callId, tenantId, outcome, reason));
        }
        else
        {
            RecordingAccess.Audit(db, http, time, name, tenantId, recording, outcome, reason);
        }
    }

    private static async Task<string?> OnDemandRefusalAsync(
        PbxDbContext db, Guid tenantId, DateTimeOffset? endedAt, Guid? policyId, RecordingControlAction action, bool recording, CancellationToken ct)
    {
        if (endedAt is not null)
        {
            return "The call has ended: its recording can no longer be started or stopped.";
        }

        var policy = policyId is { } id
            ? await db.RecordingPolicies.AsNoTracking().ForTenant(tenantId).Where(p => p.Id == id).Select(p => new { p.Name, p.Mode }).FirstOrDefaultAsync(ct)
            : null;
        if (policy?.Mode != RecordingMode.OnDemand)
        {
            return policy is null
                ? "The call is under no recording policy: only a call under an on-demand policy can be started or stopped."
                : $"The call's recording policy \"{policy.Name}\" is {policy.Mode}, not on demand: only a call under an on-demand policy can be started or stopped.";
        }

        return (action, recording) switch
        {
            (RecordingControlAction.Start, true) => "This call is already being recorded.",
            (RecordingControlAction.Stop, false) => "Nothing is being recorded on this call: there is nothing to stop.",
            _ => null,
        };
    }
}
