using HostedPbx.Data;
using HostedPbx.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Features.Tenants;

/// <summary>The tenant a page is about, if the caller may see it; another's id is "not found", never "forbidden".</summary>
public static class TenantLookup
{
    public sealed record Header(Guid Id, string Name, Guid ResellerId);

    /// <remarks>No join to resellers: a tenant's own staff cannot see the reseller row, and the join would hide the tenant.</remarks>
    public static async Task<Header?> FindAsync(PbxDbContext db, PortalCaller caller, Guid tenantId)
    {
        var header = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new Header(t.Id, t.Name, t.ResellerId)).SingleOrDefaultAsync();
        return header is not null && caller.MayOpen(header.Id, header.ResellerId) ? header : null;
    }
}
