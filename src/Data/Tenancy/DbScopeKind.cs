namespace HostedPbx.Data.Tenancy;

/// <summary>The kinds of scope; their names in lower case are what the database policies read.</summary>
public enum DbScopeKind
{
    None,
    Operator,
    System,
    Reseller,
    Tenant,
}
