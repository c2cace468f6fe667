namespace HostedPbx.Data.Entities;

/// <summary>
/// One outbound call to the telephone network running on a switch node (not an emergency call), as that node published
/// it with its last heartbeat: the toll-fraud limits on concurrent calls and minutes count every live node's calls, not
/// only their own (issue 11). A node replaces all its rows on each beat; they go with its <see cref="SwitchNode"/> row.
/// </summary>
public class SwitchNodeCall : ITenantOwned
{
    /// <summary>The node (<c>Switch:NodeName</c>) the call runs on.</summary>
    public required string NodeName { get; set; }

    /// <summary>The call's id on that node.</summary>
    public Guid CallId { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>When the carrier answered; null while the call rings.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }
}
