using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>The non-INVITE client transaction of RFC 3261 §17.1.2 (Figure 6).</summary>
public sealed class ClientNonInviteTransaction : ISipTransaction
{
    public enum State
    {
        Trying,
        Proceeding,
        Completed,
        Terminated,
    }

    private readonly Lock _gate = new();
    private TransactionNotices _notices;
    private readonly SipRequest _request;
    private readonly ISipSender _sender;
    private readonly ITransactionUser _user;
    private readonly SipTimerScheduler _scheduler;
    private readonly SipTimers _timers;
    private SipTimerRegistration? _timerE;
    private SipTimerRegistration? _timerF;
    private SipTimerRegistration? _timerK;
    private TimeSpan _timerEInterval;
    private bool _started;

    public ClientNonInviteTransaction(SipRequest request, ISipSender sender, ITransactionUser user, SipTimerScheduler scheduler, SipTimers timers)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is SipMethod.Invite or SipMethod.Ack || !TransactionKey.TryCreateClientKey(request, out var key))
        {
            throw new ArgumentException("A non-INVITE, non-ACK request with a Via branch and a CSeq is required.", nameof(request));
        }

        _request = request;
        _sender = sender;
        _user = user;
        _scheduler = scheduler;
        _timers = timers;
        Key = key;
    }

    public TransactionKey Key { get; }

    public State CurrentState { get; private set; } = State.Trying;

    public bool IsTerminated => CurrentState == State.Terminated;

    /// <summary>Sends the request and starts timers E (unreliable transport only) and F (RFC 3261 §17.1.2.2).</summary>
    public void Start()
    {
        TransactionNotices notices;
        lock (_gate)
        {
            if (_started)
            {
                return;
            }

            _started = true;
            _sender.Send(_request);
            if (!_sender.IsReliable)
            {
                _timerEInterval = _timers.T1;
                _timerE = _scheduler.Schedule(this, SipTimer.E, _timerEInterval);
            }

            _timerF = _scheduler.Schedule(this, SipTimer.F, _timers.GetInitialDelay(SipTimer.F, _sender.IsReliable));

            notices = _notices;
            _notices = default;
        }

        notices.Deliver(this, _user);
    }

    public void OnReceive(SipMessage message)
    {
        if (message is not SipResponse response)
        {
            return;
        }

        TransactionNotices notices;
        lock (_gate)
        {
#pragma warning disable CS8524 // State is private to this machine and never holds unnamed values; CS8509 still checks every named one.
            MoveTo((CurrentState, ResponseKinds.Of(response.StatusCode)) switch
            {
                (State.Trying or State.Proceeding, ResponseKind.Provisional) => Pass(response, State.Proceeding),
                (State.Trying or State.Proceeding, ResponseKind.Success or ResponseKind.Failure) => Complete(response),

                // RFC 3261 §17.1.2.2: retransmitted responses are absorbed in Completed.
                (State.Completed or State.Terminated, _) => CurrentState,
            });
#pragma warning restore CS8524

            notices = _notices;
            _notices = default;
        }

        notices.Deliver(this, _user);
    }

    public void OnTimer(SipTimer timer)
    {
        TransactionNotices notices;
        lock (_gate)
        {
            MoveTo((timer, CurrentState) switch
            {
                // RFC 3261 §17.1.2.2: in Trying the interval doubles up to T2; in Proceeding it is T2.
                (SipTimer.E, State.Trying) => Retransmit(TimeSpan.FromTicks(Math.Min(_timerEInterval.Ticks * 2, _timers.T2.Ticks))),
                (SipTimer.E, State.Proceeding) => Retransmit(_timers.T2),
                (SipTimer.F, State.Trying or State.Proceeding) => TimeOut(),
                (SipTimer.K, State.Completed) => State.Terminated,
                _ => CurrentState,
            });

            notices = _notices;
            _notices = default;
        }

        notices.Deliver(this, _user);
    }

    public void OnTransportError()
    {
        TransactionNotices notices;
        lock (_gate)
        {
            if (CurrentState != State.Terminated)
            {
                _notices.TransportError = true;
                MoveTo(State.Terminated);
            }

            notices = _notices;
            _notices = default;
        }

        notices.Deliver(this, _user);
    }

    private State Pass(SipResponse response, State next)
    {
        _notices.Response = response;
        return next;
    }

    // RFC 3261 §17.1.2.2: a final response goes to the TU; Timer K absorbs retransmissions (zero when reliable).
    private State Complete(SipResponse response)
    {
        _timerE?.Cancel();
        _timerF?.Cancel();
        _notices.Response = response;
        var delay = _timers.GetInitialDelay(SipTimer.K, _sender.IsReliable);
        if (delay == TimeSpan.Zero)
        {
            return State.Terminated;
        }

        _timerK = _scheduler.Schedule(this, SipTimer.K, delay);
        return State.Completed;
    }

    private State Retransmit(TimeSpan nextInterval)
    {
        _sender.Send(_request);
        _timerEInterval = nextInterval;
        _timerE = _scheduler.Schedule(this, SipTimer.E, _timerEInterval);
        return CurrentState;
    }

    private State TimeOut()
    {
        _notices.Timeout = true;
        return State.Terminated;
    }

    private void MoveTo(State next)
    {
        var previous = CurrentState;
        CurrentState = next;
        if (next == State.Terminated && previous != State.Terminated)
        {
            _timerE?.Cancel();
            _timerF?.Cancel();
            _timerK?.Cancel();
            _notices.Terminated = true;
        }
    }
}
