using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>The INVITE server transaction of RFC 3261 §17.2.1 (Figure 7).</summary>
public sealed class ServerInviteTransaction : ISipTransaction
{
    public enum State
    {
        Proceeding,
        Completed,
        Confirmed,
        Terminated,
    }

    private readonly Lock _gate = new();
    private TransactionNotices _notices;
    private readonly SipRequest _invite;
    private readonly ISipSender _sender;
    private readonly ITransactionUser _user;
    private readonly SipTimerScheduler _scheduler;
    private readonly SipTimers _timers;
    private SipResponse? _lastResponse;
    private SipTimerRegistration? _timerG;
    private SipTimerRegistration? _timerH;
    private SipTimerRegistration? _timerI;
    private TimeSpan _timerGInterval;

    public ServerInviteTransaction(SipRequest invite, ISipSender sender, ITransactionUser user, SipTimerScheduler scheduler, SipTimers timers)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.Method != SipMethod.Invite || !TransactionKey.TryCreateServerKey(invite, out var key))
        {
            throw new ArgumentException("An INVITE with an RFC 3261 branch is required.", nameof(invite));
        }

        _invite = invite;
        _sender = sender;
        _user = user;
        _scheduler = scheduler;
        _timers = timers;
        Key = key;
    }

    public TransactionKey Key { get; }

    public State CurrentState { get; private set; } = State.Proceeding;

    public bool IsTerminated => CurrentState == State.Terminated;

    public SipRequest Request => _invite;

    /// <summary>RFC 3261 §17.2.1: answer at once with 100 Trying, so the client stops retransmitting.</summary>
    public void Start()
    {
        TransactionNotices notices;
        lock (_gate)
        {
            if (_lastResponse is null && CurrentState == State.Proceeding)
            {
                _lastResponse = SipResponse.Create(_invite, SipStatusCodes.Trying);
                _sender.Send(_lastResponse);
            }

            notices = _notices;
            _notices = default;
        }

        notices.Deliver(this, _user);
    }

    /// <summary>The TU responds; the transaction sends, and retransmits a 300-699 on unreliable transports.</summary>
    public void SendResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        TransactionNotices notices;
        lock (_gate)
        {
#pragma warning disable CS8524 // State is private to this machine and never holds unnamed values; CS8509 still checks every named one.
            MoveTo((CurrentState, Kind(response.StatusCode)) switch
            {
                (State.Proceeding, ResponseKind.Provisional) => Send(response, State.Proceeding),

                // RFC 3261 §17.2.1: after a 2xx the TU retransmits it until the ACK; the transaction ends.
                (State.Proceeding, ResponseKind.Success) => Send(response, State.Terminated),
                (State.Proceeding, ResponseKind.Failure) => SendFailure(response),

                // A response after the final one is a TU bug; the peer already has its answer.
                (State.Completed or State.Confirmed or State.Terminated, _) => CurrentState,
            });
#pragma warning restore CS8524

            notices = _notices;
            _notices = default;
        }

        notices.Deliver(this, _user);
    }

    public void OnReceive(SipMessage message)
    {
        if (message is not SipRequest request)
        {
            return;
        }

        TransactionNotices notices;
        lock (_gate)
        {
            MoveTo((request.Method, CurrentState) switch
            {
                // RFC 3261 §17.2.1: absorb INVITE retransmits, resending the most recent response.
                (SipMethod.Invite, State.Proceeding or State.Completed) => ResendLastResponse(),
                (SipMethod.Ack, State.Completed) => Confirm(),

                // ACK retransmits in Confirmed, and anything else, are absorbed.
                _ => CurrentState,
            });

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
                (SipTimer.G, State.Completed) => RetransmitFinal(),
                (SipTimer.H, State.Completed) => TimeOut(),
                (SipTimer.I, State.Confirmed) => State.Terminated,
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

    private State Send(SipResponse response, State next)
    {
        _sender.Send(response);
        _lastResponse = response;
        return next;
    }

    private State SendFailure(SipResponse response)
    {
        Send(response, State.Completed);
        if (!_sender.IsReliable)
        {
            _timerGInterval = _timers.T1;
            _timerG = _scheduler.Schedule(this, SipTimer.G, _timerGInterval);
        }

        _timerH = _scheduler.Schedule(this, SipTimer.H, _timers.GetInitialDelay(SipTimer.H, _sender.IsReliable));
        return State.Completed;
    }

    private State ResendLastResponse()
    {
        if (_lastResponse is not null)
        {
            _sender.Send(_lastResponse);
        }

        return CurrentState;
    }

    // RFC 3261 §17.2.1: the ACK stops retransmissions; Timer I absorbs further ACKs (zero on reliable transports).
    private State Confirm()
    {
        _timerG?.Cancel();
        _timerH?.Cancel();
        var delay = _timers.GetInitialDelay(SipTimer.I, _sender.IsReliable);
        if (delay == TimeSpan.Zero)
        {
            return State.Terminated;
        }

        _timerI = _scheduler.Schedule(this, SipTimer.I, delay);
        return State.Confirmed;
    }

    // RFC 3261 §17.2.1: Timer G fires: retransmit the final response, doubling up to T2.
    private State RetransmitFinal()
    {
        _sender.Send(_lastResponse!);
        _timerGInterval = TimeSpan.FromTicks(Math.Min(_timerGInterval.Ticks * 2, _timers.T2.Ticks));
        _timerG = _scheduler.Schedule(this, SipTimer.G, _timerGInterval);
        return State.Completed;
    }

    // RFC 3261 §17.2.1: Timer H fires: the ACK never came.
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
            _timerG?.Cancel();
            _timerH?.Cancel();
            _timerI?.Cancel();
            _notices.Terminated = true;
        }
    }

    private static ResponseKind Kind(int statusCode) => ResponseKinds.Of(statusCode);
}
