namespace HostedPbx.Data.Entities;

/// <summary>A company that sells HostedPbx to its customers (tenants).</summary>
public class Reseller
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public ResellerStatus Status { get; set; } = ResellerStatus.Active;
    public DateTimeOffset CreatedAt { get; set; }
    public List<Tenant> Tenants { get; set; } = [];
    public List<ApiKey> ApiKeys { get; set; } = [];
}
