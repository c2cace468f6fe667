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
    /// <summary>Why a caller was refused (for the audit log only), and whether the tenant was theirs to see at all.</summary>
    public sealed record Refusal(string Reason, bool TenantInScope);

    /// <summary>Null when the caller may act on the tenant's recordings; otherwise why not.</summary>
    public static async Task<Refusal?> RefusalAsync(PbxDbContext db, PortalCaller caller, Guid tenantId, PortalAction action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await TenantLookup.FindAsync(db, caller, tenantId) is null)
        {
            return new Refusal($"tenant {tenantId:D} is not in the caller's scope", TenantInScope: false);
        }

        if (!caller.May(action))
        {
            return new Refusal($"the role {caller.Role} may not {action}", TenantInScope: true);
        }

        return await RecordingListening.MayAsync(db, caller.Role, caller.TenantId, tenantId, ct)
            ? null
            : new Refusal(RecordingListening.RefusalReason(caller.Role), TenantInScope: true);
    }

    /// <summary>
    /// An audit event about recordings, from the portal. A refusal for a tenant outside the caller's scope is filed under
    /// the caller's own scope (row-level security lets no one write into another tenant's log), naming the target.
    /// </summary>
    public static AuditEvent Audit(PortalCaller caller, HttpContext? http, DateTimeOffset now, string action, Guid tenantId, Guid? recordingId,
        AuditOutcome outcome = AuditOutcome.Success, string? reason = null, bool tenantInScope = true)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Audit(now, action, recordingId is null ? "tenant" : "recording", recordingId ?? tenantId, tenantInScope ? tenantId : caller.TenantId,
            http?.Connection.RemoteIpAddress, outcome, reason);
    }
}
