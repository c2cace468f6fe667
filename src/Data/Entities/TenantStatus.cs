namespace HostedPbx.Data.Entities;

/// <summary>Whether a tenant's handsets may register and call.</summary>
public enum TenantStatus
{
    Active,
    Suspended,
    Closed,
}
