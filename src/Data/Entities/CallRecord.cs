namespace HostedPbx.Data.Entities;

/// <summary>One call as the switch saw it, with the security facts of each leg (shared/DESIGN.md).</summary>
public class CallRecord : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    /// <summary>The SIP Call-ID of the first leg.</summary>
    public required string SipCallId { get; set; }
    public CallType Type { get; set; }
    /// <summary>A call to an emergency number (issue 11): routed ahead of every limit and block.</summary>
    public bool Emergency { get; set; }
    public required string FromParty { get; set; }
    public required string ToParty { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public CallOutcome Outcome { get; set; } = CallOutcome.InProgress;
    public int? FinalSipStatus { get; set; }
    public bool Recorded { get; set; }
    public Guid? RecordingPolicyId { get; set; }
    /// <summary>The plain-language statement rendered from the legs' facts when the call ended.</summary>
    public string? SecurityStatement { get; set; }
    /// <summary>The switch node that handled the call; a node that restarts closes the calls it left in progress.</summary>
    public string? SwitchNode { get; set; }
    public List<CallLegRecord> Legs { get; set; } = [];
}
