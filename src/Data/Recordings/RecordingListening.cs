using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// Who may search, play, download, verify and export a tenant's recordings: the one rule the portal and the API both
/// call. A compliance officer of that tenant always may; everyone else (the tenant admin, the reseller, the operator)
/// only while the tenant grants listening (<see cref="RetentionSettings.ResellerMayListen"/>). The tenant admin counts
/// as "granted" only through that same switch: they control it, so they can turn it on, but doing so is audited and
/// shows in the settings, so no one listens to a tenant's calls without a visible, audited grant (docs/roles.md).
/// The caller's scope (their reseller's tenants, their own tenant) is checked before this, as for every route.
/// </summary>
public static class RecordingListening
{
    /// <summary>The rule itself, given whether the tenant grants listening.</summary>
    public static bool May(PortalRole role, Guid? callersTenantId, Guid tenantId, bool tenantGrants) =>
        (role == PortalRole.ComplianceOfficer && callersTenantId == tenantId)
        || (role != PortalRole.ComplianceOfficer && tenantGrants);

    /// <summary>The rule, reading the tenant's grant.</summary>
    public static async Task<bool> MayAsync(PbxDbContext db, PortalRole role, Guid? callersTenantId, Guid tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (role == PortalRole.ComplianceOfficer)
        {
            return May(role, callersTenantId, tenantId, tenantGrants: false);
        }

        var grants = await db.RetentionSettings.AsNoTracking().AnyAsync(r => r.TenantId == tenantId && r.ResellerMayListen, cancellationToken);
        return May(role, callersTenantId, tenantId, grants);
    }

    /// <summary>Why a refused caller was refused, for the audit log (never for the caller).</summary>
    public static string RefusalReason(PortalRole role) => role == PortalRole.ComplianceOfficer
        ? "a compliance officer of another tenant"
        : "the tenant has not granted listening to its admin, reseller and the operator";
}
