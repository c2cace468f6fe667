namespace HostedPbx.Switch.Calls.Transfer;

/// <summary>
/// What the replaced call tells the referred call when an attended transfer's join ends: joined, or the sipfrag status
/// of the failure, and whether the remaining party's leg came back (it has not when the remaining party hung up).
/// </summary>
internal sealed record JoinOutcome(AttendedTransfer Transfer, int Status, string Reason, bool RemainingBack)
{
    public bool Joined => Status == 200;

    /// <summary>True when the party answered the join's re-INVITE with 2xx, so its media went to the other bridge.</summary>
    public bool MediaMoved { get; init; }
}
