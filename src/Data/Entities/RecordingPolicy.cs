namespace HostedPbx.Data.Entities;

/// <summary>When a tenant's calls are recorded, and whether parties are told.</summary>
public class RecordingPolicy : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public RecordingMode Mode { get; set; }
    public bool Announce { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}
