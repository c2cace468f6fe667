using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Recordings;
using HostedPbx.Web.Features.Tenants;
using HostedPbx.Web.Security;

namespace HostedPbx.Web.Features.Recordings;

/// <summary>
/// The portal's gate to a tenant's recordings: the tenant must be in the caller's scope, the role matrix must allow the
/// action, and <see cref="RecordingListening"/> (the rule the API calls too) must let this caller listen. A refusal
/// is the same "not found" as a missing id; the audit log says why.
/// </summary>
public static class PortalRecordingAccess
{
    /// <summary>Null when the caller may act on the tenant's recordings; otherwise the reason, for the audit log.</summary>
    public static async Task<string?> RefusalAsync(PbxDbContext db, PortalCaller caller, Guid tenantId, PortalAction action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.May(action))
        {
            return $"the role {caller.Role} may not {action}";
        }

        if (await TenantLookup.FindAsync(db, caller, tenantId) is null)
        {
            return "the tenant is not in the caller's scope";
        }

        return await RecordingListening.MayAsync(db, caller.Role, caller.TenantId, tenantId, ct) ? null : RecordingListening.RefusalReason(caller.Role);
    }

    /// <summary>An audit event about recordings, from the portal.</summary>
    public static AuditEvent Audit(PortalCaller caller, HttpContext? http, DateTimeOffset now, string action, Guid tenantId, Guid? recordingId,
        AuditOutcome outcome = AuditOutcome.Success, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var audit = caller.Audit(now, action, recordingId is null ? "tenant" : "recording", recordingId ?? tenantId, tenantId,
            http?.Connection.RemoteIpAddress, outcome, reason);
        return audit;
    }
}
