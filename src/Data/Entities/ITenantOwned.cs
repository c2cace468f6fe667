namespace HostedPbx.Data.Entities;

/// <summary>A row that belongs to one tenant; row-level security keys on its <see cref="TenantId"/>.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
