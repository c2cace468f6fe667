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
        lock (_gate)
        {
            if (_lastResponse is null && CurrentState == State.Proceeding)
            {
                _lastResponse = SipResponse.Create(_invite, SipStatusCodes.Trying);
                _sender.Send(_lastResponse);
            }
        }
    }

    /// <summary>The TU responds; the transaction sends, and retransmits a 300-699 on unreliable transports.</summary>
    public void SendResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        lock (_gate)
        {
            if (CurrentState != State.Proceeding)
            {
                return;
            }

            _sender.Send(response);
            _lastResponse = response;
            switch (response.StatusCode)
            {
                case < 200:
                    break;
                case < 300:
                    // RFC 3261 §17.2.1: after a 2xx the TU retransmits it until the ACK; the transaction ends.
                    Terminate();
                    break;
                default:
                    CurrentState = State.Completed;
                    if (!_sender.IsReliable)
                    {
                        _timerGInterval = _timers.T1;
                        _timerG = _scheduler.Schedule(this, SipTimer.G, _timerGInterval);
                    }

                    _timerH = _scheduler.Schedule(this, SipTimer.H, _timers.GetInitialDelay(SipTimer.H, _sender.IsReliable));
                    break;
            }
        }
    }

    public void OnReceive(SipMessage message)
    {
        if (message is not SipRequest request)
        {
            return;
        }

        lock (_gate)
        {
            switch (request.Method, CurrentState)
            {
                case (SipMethod.Invite, State.Proceeding or State.Completed):
                    // RFC 3261 §17.2.1: absorb INVITE retransmits, resending the most recent response.
                    if (_lastResponse is not null)
                    {
                        _sender.Send(_lastResponse);
                    }

                    break;
                case (SipMethod.Ack, State.Completed):
                    _timerG?.Cancel();
                    _timerH?.Cancel();
                    CurrentState = State.Confirmed;
                    StartTimerI();
                    break;
                default:
                    // ACKs in Confirmed and anything else are absorbed.
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
                case (SipTimer.G, State.Completed):
                    // RFC 3261 §17.2.1: retransmit the final response, doubling up to T2.
                    _sender.Send(_lastResponse!);
                    _timerGInterval = TimeSpan.FromTicks(Math.Min(_timerGInterval.Ticks * 2, _timers.T2.Ticks));
                    _timerG = _scheduler.Schedule(this, SipTimer.G, _timerGInterval);
                    break;
                case (SipTimer.H, State.Completed):
                    // RFC 3261 §17.2.1: the ACK never came.
                    _user.OnTimeout(this);
                    Terminate();
                    break;
                case (SipTimer.I, State.Confirmed):
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

    private void StartTimerI()
    {
        var delay = _timers.GetInitialDelay(SipTimer.I, _sender.IsReliable);
        if (delay == TimeSpan.Zero)
        {
            Terminate();
            return;
        }

        _timerI = _scheduler.Schedule(this, SipTimer.I, delay);
    }

    private void Terminate()
    {
        _timerG?.Cancel();
        _timerH?.Cancel();
        _timerI?.Cancel();
        CurrentState = State.Terminated;
        _user.OnTerminated(this);
    }
}
