namespace HostedPbx.Data.Entities;

/// <summary>
/// One switch node's view of one trunk, from its OPTIONS keep-alive (issue 11): up or down, since when, and the last
/// reason it gave. A node writes a row only when the state changes, so <see cref="Since"/> is the change's time.
/// </summary>
public class TrunkState : ITenantOwned
{
    public Guid TrunkId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The switch node (<c>Switch:NodeName</c>) that probes the trunk.</summary>
    public required string NodeName { get; set; }
    public TrunkReachability State { get; set; }
    public DateTimeOffset Since { get; set; }

    /// <summary>Why it is down (no answer, connection refused, 503), or the status that marked it up.</summary>
    public string? Reason { get; set; }
}
