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
        }
    }

    public void OnReceive(SipMessage message)
    {
        if (message is not SipResponse response)
        {
            return;
        }

        lock (_gate)
        {
            switch (CurrentState, Kind(response.StatusCode))
            {
                case (State.Calling or State.Proceeding, ResponseKind.Provisional):
                    // RFC 3261 §17.1.1.2: a provisional response stops retransmissions and goes to the TU.
                    _timerA?.Cancel();
                    CurrentState = State.Proceeding;
                    _user.OnResponse(this, response);
                    break;
                case (State.Calling or State.Proceeding, ResponseKind.Success):
                    // RFC 3261 §17.1.1.2: a 2xx goes to the TU, which ACKs it end to end; the transaction ends.
                    _user.OnResponse(this, response);
                    Terminate();
                    break;
                case (State.Calling or State.Proceeding, ResponseKind.Failure):
                    _timerA?.Cancel();
                    _timerB?.Cancel();
                    CurrentState = State.Completed;
                    SendAck(response);
                    _user.OnResponse(this, response);
                    StartTimerD();
                    break;
                case (State.Completed, ResponseKind.Failure):
                    // RFC 3261 §17.1.1.2: a retransmitted final response is answered with the ACK again, not passed up.
                    _sender.Send(Ack!);
                    break;
                case (State.Completed, _) or (State.Terminated, _):
                    break;
                case (State.Calling or State.Proceeding, _):
                    break;
            }
        }
    }

    public void OnTimer(SipTimer timer)
    {
        lock (_gate)
        {
            switch (timer, CurrentState)
            {
                case (SipTimer.A, State.Calling):
                    // RFC 3261 §17.1.1.2: retransmit and double the interval.
                    _sender.Send(_invite);
                    _timerAInterval *= 2;
                    _timerA = _scheduler.Schedule(this, SipTimer.A, _timerAInterval);
                    break;
                case (SipTimer.B, State.Calling or State.Proceeding):
                    _user.OnTimeout(this);
                    Terminate();
                    break;
                case (SipTimer.D, State.Completed):
                    Terminate();
                    break;
                default:
                    break;
            }
        }
    }

    public void OnTransportError()
    {
        lock (_gate)
        {
            if (CurrentState != State.Terminated)
            {
                _user.OnTransportError(this);
                Terminate();
            }
        }
    }

    private void StartTimerD()
    {
        var delay = _timers.GetInitialDelay(SipTimer.D, _sender.IsReliable);
        if (delay == TimeSpan.Zero)
        {
            Terminate();
            return;
        }

        _timerD = _scheduler.Schedule(this, SipTimer.D, delay);
    }

    private void Terminate()
    {
        _timerA?.Cancel();
        _timerB?.Cancel();
        _timerD?.Cancel();
        CurrentState = State.Terminated;
        _user.OnTerminated(this);
    }

    private static ResponseKind Kind(int statusCode) => statusCode switch
    {
        < 200 => ResponseKind.Provisional,
        < 300 => ResponseKind.Success,
        _ => ResponseKind.Failure,
    };
}
