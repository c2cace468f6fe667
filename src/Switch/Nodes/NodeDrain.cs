namespace HostedPbx.Switch.Nodes;

/// <summary>
/// A graceful stop (SIGTERM): new INVITEs are refused with 503 and Retry-After (RFC 3261 §21.5.4), calls in progress go
/// on for up to the grace period, then the handsets' connections close so that they re-register on another node, as
/// after any lost flow (RFC 5626 §4.4.1).
/// </summary>
internal sealed class NodeDrain(TimeSpan grace, TimeProvider time)
{
    /// <summary>RFC 3261 §20.33: when a refused caller may try again (by then its handset has moved to another node).</summary>
    public const int RetryAfterSeconds = 5;

    public const string ReasonPhrase = "Switch Node Draining";

    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _draining;
    private long _stopsAtTicks;

    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>Until the node stops (negative once the grace has run out); meaningful after <see cref="Begin"/>.</summary>
    private TimeSpan TimeLeft => new DateTimeOffset(Volatile.Read(ref _stopsAtTicks), TimeSpan.Zero) - time.GetUtcNow();

    /// <summary>
    /// The Retry-After of a REGISTER refused while draining: the seconds until this node has stopped (the rest of the
    /// grace), and never fewer than <see cref="RetryAfterSeconds"/>. RFC 3261 §21.5.4 and RFC 3263 §4.3: a client that
    /// gets 503 tries its next server and sends this one nothing more for Retry-After; any shorter and a handset would
    /// come back to a node that is still draining (another 503), any longer and a handset with no other server would
    /// wait past the moment this node has stopped (and restarted, where it is restarted in place).
    /// </summary>
    public int RegisterRetryAfterSeconds => Math.Max(RetryAfterSeconds, (int)Math.Ceiling(TimeLeft.TotalSeconds));

    /// <summary>The call layer says how many calls remain each time one ends.</summary>
    public void OnCallEnded(int remaining)
    {
        if (IsDraining && remaining == 0)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>
    /// Refuses new calls and registrations from this moment, and fixes when the node stops (now plus the grace). The switch
    /// calls it first, before the node's row says it is draining: whoever reads that row (another node, an operator, a
    /// test) must never reach a node that still admits calls. Calling it again changes nothing.
    /// </summary>
    public void Begin()
    {
        if (IsDraining)
        {
            return;
        }

        Volatile.Write(ref _stopsAtTicks, (time.GetUtcNow() + grace).UtcTicks);
        Volatile.Write(ref _draining, 1);
    }

    /// <summary>
    /// Stops new calls (<see cref="Begin"/>, if not yet), waits for <paramref name="activeCalls"/> to reach zero or the
    /// grace to run out, then closes the connections. Returns how many calls were still up when the grace ran out.
    /// </summary>
    public async Task<int> DrainAsync(Func<int> activeCalls, Action closeConnections, CancellationToken cancellationToken)
    {
        Begin();
        if (activeCalls() == 0)
        {
            _idle.TrySetResult();
        }

        var left = TimeLeft;
        try
        {
            await _idle.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        var stillUp = activeCalls();
        closeConnections();
        return stillUp;
    }
}
