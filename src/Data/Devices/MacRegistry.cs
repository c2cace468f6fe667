using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Devices;

/// <summary>A MAC is unique across the platform; the API and the portal ask here before they add a handset.</summary>
public static class MacRegistry
{
    /// <summary>The one answer to a claim that cannot be granted, whether the MAC is held elsewhere or the claim is malformed.</summary>
    public const string ClaimRefused =
        "This handset cannot be claimed with this MAC address and factory serial number. Check both against the label on its box; "
        + "if the handset is yours, ask the operator to approve the claim.";

    /// <summary>Another tenant's device is invisible under row-level security, so the check runs as the platform.</summary>
    public static async Task<bool> IsTakenAsync(PbxDbContext db, MacAddress mac, CancellationToken ct) => await OwnerAsync(db, mac, ct) is not null;

    /// <summary>The tenant whose device has this MAC, looked up as the platform; null when the MAC is free.</summary>
    public static async Task<Guid?> OwnerAsync(PbxDbContext db, MacAddress mac, CancellationToken ct)
    {
        var scope = db.Scope;
        db.UseScope(DbScope.System);
        try
        {
            return await db.Devices.Where(d => d.Mac == mac.ToString()).Select(d => (Guid?)d.TenantId).SingleOrDefaultAsync(ct);
        }
        finally
        {
            db.UseScope(scope);
        }
    }

    /// <summary>
    /// Audits a refused claim for the operator's eyes only (no reseller or tenant on the event, so neither claimant sees
    /// it): who claimed, for which tenant, and why it was refused.
    /// </summary>
    public static async Task AuditRefusedClaimAsync(PbxDbContext db, AuditEvent audit, Guid tenantId, MacAddress mac, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        audit.ResellerId = null;
        audit.TenantId = null;
        audit.TargetKind = "mac";
        audit.TargetId = mac.ToString();
        audit.Outcome = AuditOutcome.Denied;
        audit.Reason = $"claim for tenant {tenantId} refused: {reason}";
        var scope = db.Scope;
        db.UseScope(DbScope.System);
        try
        {
            db.AuditEvents.Add(audit);
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.UseScope(scope);
        }
    }
}
