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

    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>The call layer says how many calls remain each time one ends.</summary>
    public void OnCallEnded(int remaining)
    {
        if (IsDraining && remaining == 0)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>
    /// Stops new calls, waits for <paramref name="activeCalls"/> to reach zero or the grace to run out, then closes the
    /// connections. Returns how many calls were still up when the grace ran out.
    /// </summary>
    public async Task<int> DrainAsync(Func<int> activeCalls, Action closeConnections, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _draining, 1);
        if (activeCalls() == 0)
        {
            _idle.TrySetResult();
        }

        try
        {
            await _idle.Task.WaitAsync(grace, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        var left = activeCalls();
        closeConnections();
        return left;
    }
}
