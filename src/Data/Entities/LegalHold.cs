namespace HostedPbx.Data.Entities;

/// <summary>
/// A legal hold (issue 10 item 5): while it is in force (not lifted), no recording it covers is deleted by anyone,
/// the retention job included. Placing and lifting are audited; a lifted hold stays on record.
/// </summary>
public class LegalHold : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public LegalHoldScope Scope { get; set; }
    /// <summary>The extension held, for <see cref="LegalHoldScope.Extension"/>.</summary>
    public Guid? ExtensionId { get; set; }
    /// <summary>The recording held, for <see cref="LegalHoldScope.Recording"/>.</summary>
    public Guid? RecordingId { get; set; }
    public required string Reason { get; set; }
    public required string PlacedBy { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public string? LiftedBy { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    /// <summary>Why the hold was lifted (required when lifting; holds lifted before it was asked have none).</summary>
    public string? LiftReason { get; set; }

    public bool InForce => LiftedAt is null;
}
