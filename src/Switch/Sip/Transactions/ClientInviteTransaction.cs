using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>The INVITE client transaction of RFC 3261 §17.1.1 (Figure 5).</summary>
public sealed partial class ClientInviteTransaction : ISipTransaction
{
    public enum State
    {
        Calling,
        Proceeding,
        Completed,
        Terminated,
    }

    private readonly Lock _gate = new();
    private TransactionNotices _notices;
    private readonly SipRequest _invite;
    private readonly ISipSender _sender;
    private readonly ITransactionUser _user;
    private readonly SipTimerScheduler _scheduler;
    private readonly SipTimers _timers;
    private SipTimerRegistration? _timerA;
    private SipTimerRegistration? _timerB;
    private SipTimerRegistration? _timerD;
    private TimeSpan _timerAInterval;
    private bool _started;

    public ClientInviteTransaction(SipRequest invite, ISipSender sender, ITransactionUser user, SipTimerScheduler scheduler, SipTimers timers)
    {
        ArgumentNullException.ThrowIfNull(invite);
        if (invite.Method != SipMethod.Invite || !TransactionKey.TryCreateClientKey(invite, out var key))
        {
            throw new ArgumentException("An INVITE with a Via branch and a CSeq is required.", nameof(invite));
        }

        _invite = invite;
        _sender = sender;
        _user = user;
        _scheduler = scheduler;
        _timers = timers;
        Key = key;
    }

    public TransactionKey Key { get; }

    public State CurrentState { get; private set; } = State.Calling;

    public bool IsTerminated => CurrentState == State.Terminated;

    /// <summary>The ACK this transaction generated for a non-2xx final response, if any.</summary>
    public SipRequest? Ack { get; private set; }

    /// <summary>Sends the INVITE and starts timers A (unreliable transport only) and B (RFC 3261 §17.1.1.2).</summary>
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
            _sender.Send(_invite);
            if (!_sender.IsReliable)
            {
                _timerAInterval = _timers.T1;
                _timerA = _scheduler.Schedule(this, SipTimer.A, _timerAInterval);
            }

            _timerB = _scheduler.Schedule(this, SipTimer.B, _timers.GetInitialDelay(SipTimer.B, _sender.IsReliable));

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
            MoveTo((CurrentState, Kind(response.StatusCode)) switch
            {
                (State.Calling or State.Proceeding, ResponseKind.Provisional) => PassProvisional(response),
                (State.Calling or State.Proceeding, ResponseKind.Success) => PassSuccess(response),
                (State.Calling or State.Proceeding, ResponseKind.Failure) => CompleteWithAck(response),
                (State.Completed, ResponseKind.Failure) => ResendAck(),
                (State.Completed, ResponseKind.Provisional or ResponseKind.Success) => State.Completed,
                (State.Terminated, _) => State.Terminated,
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
                (SipTimer.A, State.Calling) => RetransmitInvite(),
                // RFC 3261 §17.1.1.2 (Figure 5): Timer B guards Calling only; once a 1xx came, the TU decides how long to ring.
                (SipTimer.B, State.Calling) => TimeOut(),
                (SipTimer.D, State.Completed) => State.Terminated,

                // A timer that fires after its state was left (cancelled too late) changes nothing.
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

    // RFC 3261 §17.1.1.2: a provisional response stops retransmissions and goes to the TU.
    private State PassProvisional(SipResponse response)
    {
        _timerA?.Cancel();
        _notices.Response = response;
        return State.Proceeding;
    }

    // RFC 3261 §17.1.1.2: a 2xx goes to the TU, which ACKs it end to end; the transaction ends.
    private State PassSuccess(SipResponse response)
    {
        _notices.Response = response;
        return State.Terminated;
    }

    private State CompleteWithAck(SipResponse response)
    {
        _timerA?.Cancel();
        _timerB?.Cancel();
        SendAck(response);
        _notices.Response = response;
        var delay = _timers.GetInitialDelay(SipTimer.D, _sender.IsReliable);
        if (delay == TimeSpan.Zero)
        {
            return State.Terminated;
        }

        _timerD = _scheduler.Schedule(this, SipTimer.D, delay);
        return State.Completed;
    }

    // RFC 3261 §17.1.1.2: a retransmitted final response is answered with the ACK again, not passed up.
    private State ResendAck()
    {
        _sender.Send(Ack!);
        return State.Completed;
    }

    // RFC 3261 §17.1.1.2: Timer A fires: retransmit and double the interval.
    private State RetransmitInvite()
    {
        _sender.Send(_invite);
        _timerAInterval *= 2;
        _timerA = _scheduler.Schedule(this, SipTimer.A, _timerAInterval);
        return State.Calling;
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
            _timerA?.Cancel();
            _timerB?.Cancel();
            _timerD?.Cancel();
            _notices.Terminated = true;
        }
    }

    private static ResponseKind Kind(int statusCode) => ResponseKinds.Of(statusCode);
}
