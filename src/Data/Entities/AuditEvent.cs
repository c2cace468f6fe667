using System.Net;

namespace HostedPbx.Data.Entities;

/// <summary>Who did what, when, from where, and what came of it. Append-only.</summary>
public class AuditEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? ResellerId { get; set; }
    public Guid? TenantId { get; set; }
    public AuditActorKind ActorKind { get; set; }
    /// <summary>User id, API key id, device MAC, or the name of a system job.</summary>
    public string? ActorId { get; set; }
    public required string ActorName { get; set; }
    /// <summary>Dotted verb, e.g. <c>device.certificate.revoke</c>, <c>sip.register</c>.</summary>
    public required string Action { get; set; }
    public string? TargetKind { get; set; }
    public string? TargetId { get; set; }
    public AuditOutcome Outcome { get; set; }
    /// <summary>Why it was denied or failed; kept for staff, never shown to the party refused.</summary>
    public string? Reason { get; set; }
    public IPAddress? SourceAddress { get; set; }
}
