using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Provisioning.Security;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>
/// The rule every recording route shares, <see cref="RecordingListening"/> (the portal calls the same): a compliance
/// officer's personal key reaches its own tenant's recordings; a reseller's or the operator's key only when the tenant
/// granted it (<see cref="RetentionSettings.ResellerMayListen"/>). Each use and each refusal is an audit event
/// with who, what, when and from where; the refusal itself is a plain 404 that does not say which check failed.
/// </summary>
internal static class RecordingAccess
{
    public static Task<bool> MayListenAsync(PbxDbContext db, HttpContext http, Guid tenantId, CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        return RecordingListening.MayAsync(db, caller.Role, caller.TenantId, tenantId, ct);
    }

    public static string RefusalReason(HttpContext http) => RecordingListening.RefusalReason(ApiCaller.From(http).Role);

    public static void Audit(PbxDbContext db, HttpContext http, TimeProvider time, string action, Guid tenantId, Guid? recordingId,
        AuditOutcome outcome = AuditOutcome.Success, string? reason = null)
    {
        var audit = ApiCaller.From(http).Audit(time.GetUtcNow(), action, "recording", recordingId ?? tenantId, tenantId, outcome, reason);
        if (recordingId is null)
        {
            audit.TargetKind = "tenant";
        }

        db.AuditEvents.Add(audit);
    }

    public static RecordingVerifier Verifier(IConfiguration configuration, KeyProtector protector) =>
        new(RecordingFolder.Resolve(configuration), protector);
}
