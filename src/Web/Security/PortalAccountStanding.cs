using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Security;

/// <summary>
/// Whether a portal user may still act: not locked out, and their reseller or tenant (and the tenant's reseller) active.
/// Sign-in asks it before it issues a cookie, and every open circuit asks it again (<see cref="PortalSessionRevalidation"/>).
/// </summary>
internal static class PortalAccountStanding
{
    /// <summary>Why the user may not act, for the audit log; null when they may. Runs as the platform (the user is not known yet).</summary>
    public static async Task<string?> ProblemAsync(IDbContextFactory<PbxDbContext> factory, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.UseScope(DbScope.System);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.LockoutEnd, u.ResellerId, u.TenantId }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return "the user no longer exists";
        }

        if (user.LockoutEnd > now)
        {
            return "the user is locked out";
        }

        var tenant = user.TenantId is { } tenantId
            ? await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.Status, t.ResellerId }).SingleOrDefaultAsync(ct)
            : null;
        if (user.TenantId is not null && tenant?.Status != TenantStatus.Active)
        {
            return "the user's tenant is not active";
        }

        var resellerId = user.ResellerId ?? tenant?.ResellerId;
        if (resellerId is { } id
            && await db.Resellers.AsNoTracking().Where(r => r.Id == id).Select(r => (ResellerStatus?)r.Status).SingleOrDefaultAsync(ct) != ResellerStatus.Active)
        {
            return "the user's reseller is not active";
        }

        return null;
    }
}
