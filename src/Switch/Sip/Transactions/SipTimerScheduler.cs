using HostedPbx.Switch.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>
/// All transaction timers of the switch behind one <see cref="ITimer"/> from the injected <see cref="TimeProvider"/>:
/// due times sit in a priority queue and the single timer is armed for the earliest one (Kestrel's heartbeat idea, without
/// a fixed tick). No thread per transaction, no polling. Callbacks run on the timer's thread, outside the queue's lock.
/// </summary>
public sealed class SipTimerScheduler : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly PriorityQueue<SipTimerRegistration, (long Due, long Sequence)> _queue = new();
    private readonly ITimer _timer;
    private readonly ILogger _logger;
    private long _sequence;
    private long _armedFor = long.MaxValue;

    public SipTimerScheduler(TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _timer = timeProvider.CreateTimer(static state => ((SipTimerScheduler)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public SipTimerRegistration Schedule(ISipTimerTarget target, SipTimer timer, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(target);
        var due = _timeProvider.GetUtcNow().UtcTicks + Math.Max(0, delay.Ticks);
        var registration = new SipTimerRegistration(target, timer, due);
        lock (_gate)
        {
            _queue.Enqueue(registration, (due, _sequence++));
            if (due < _armedFor)
            {
                Arm(due);
            }
        }

        return registration;
    }

    public void Dispose() => _timer.Dispose();

    private void OnTick()
    {
        List<SipTimerRegistration>? due = null;
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow().UtcTicks;
            _armedFor = long.MaxValue;
            while (_queue.TryPeek(out var next, out var priority) && priority.Due <= now)
            {
                _queue.Dequeue();
                if (!next.IsCancelled)
                {
                    (due ??= []).Add(next);
                }
            }

            if (_queue.TryPeek(out _, out var following))
            {
                Arm(following.Due);
            }
        }

        if (due is null)
        {
            return;
        }

        foreach (var registration in due)
        {
            if (registration.IsCancelled)
            {
                continue;
            }

            try
            {
                registration.Target.OnTimer(registration.Timer);
            }
            catch (Exception exception)
            {
                // One failing transaction user must not stop every other timer of the switch (Kestrel's heartbeat does the same).
                SwitchLog.SipTimerCallbackFailed(_logger, registration.Timer, exception);
            }
        }
    }

    private void Arm(long due)
    {
        _armedFor = due;
        var delay = TimeSpan.FromTicks(Math.Max(0, due - _timeProvider.GetUtcNow().UtcTicks));
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }
}
