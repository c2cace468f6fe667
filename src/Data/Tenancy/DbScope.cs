namespace HostedPbx.Data.Tenancy;

/// <summary>
/// Who is asking, as PostgreSQL row-level security sees it. <see cref="None"/> sees no tenant rows; a reseller sees
/// its tenants; a tenant its own rows; the operator and the platform's own jobs see all.
/// </summary>
public readonly record struct DbScope(DbScopeKind Kind, Guid? ResellerId, Guid? TenantId)
{
    public static DbScope None => new(DbScopeKind.None, null, null);
    public static DbScope Operator => new(DbScopeKind.Operator, null, null);
    /// <summary>The platform's own work (sign-in look-ups, jobs, handset identity) that precedes any tenant.</summary>
    public static DbScope System => new(DbScopeKind.System, null, null);

    public static DbScope ForReseller(Guid resellerId) => new(DbScopeKind.Reseller, resellerId, null);

    public static DbScope ForTenant(Guid tenantId) => new(DbScopeKind.Tenant, null, tenantId);
}
