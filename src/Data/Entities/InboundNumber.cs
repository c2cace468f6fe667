namespace HostedPbx.Data.Entities;

/// <summary>A public number (E.164, unique across the platform) routed to an extension.</summary>
public class InboundNumber : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    /// <summary>E.164 with a leading +.</summary>
    public required string Number { get; set; }
    public Guid? TrunkId { get; set; }
    public Trunk? Trunk { get; set; }
    public Guid DestinationExtensionId { get; set; }
    public Extension? DestinationExtension { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
