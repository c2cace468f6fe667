using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Calls.Trunks.Keepalive;

/// <summary>
/// One carrier's reachability as this node's keep-alive finds it: unknown until first probed, up on an answer, down after
/// <paramref name="missesToDown"/> misses in a row. Only a change moves <see cref="Since"/>.
/// </summary>
internal sealed class TrunkHealth(int missesToDown)
{
    private int _misses;

    /// <summary>Null until the first probe decides (a trunk never probed is not skipped).</summary>
    public TrunkReachability? State { get; private set; }

    public DateTimeOffset Since { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>Takes a probe's outcome; true when the state changed.</summary>
    public bool OnProbed(ProbeOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Alive)
        {
            _misses = 0;
            return MoveTo(TrunkReachability.Up, outcome.Reason, now);
        }

        _misses++;
        return _misses >= missesToDown && MoveTo(TrunkReachability.Down, outcome.Reason, now);
    }

    private bool MoveTo(TrunkReachability state, string reason, DateTimeOffset now)
    {
        if (State == state)
        {
            return false;
        }

        (State, Since, Reason) = (state, now, reason);
        return true;
    }
}
