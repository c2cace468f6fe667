using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Queries;

/// <summary>Tenancy spelled out in every query (STYLE §7): <c>db.Extensions.ForTenant(tenantId)</c>.</summary>
public static class TenantQueries
{
    public static IQueryable<T> ForTenant<T>(this IQueryable<T> query, Guid tenantId) where T : class, ITenantOwned =>
        query.Where(row => row.TenantId == tenantId);

    public static IQueryable<Tenant> ForReseller(this IQueryable<Tenant> query, Guid resellerId) =>
        query.Where(t => t.ResellerId == resellerId);
}
