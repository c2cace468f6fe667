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
            switch (CurrentState)
            {
                case State.Trying or State.Proceeding when response.StatusCode < 200:
                    CurrentState = State.Proceeding;
                    _user.OnResponse(this, response);
                    break;
                case State.Trying or State.Proceeding:
                    _timerE?.Cancel();
                    _timerF?.Cancel();
                    CurrentState = State.Completed;
                    _user.OnResponse(this, response);
                    StartTimerK();
                    break;
                case State.Completed or State.Terminated:
                    // RFC 3261 §17.1.2.2: retransmitted responses are absorbed in Completed.
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
                case (SipTimer.E, State.Trying):
                    // RFC 3261 §17.1.2.2: retransmit, doubling the interval up to T2.
                    _sender.Send(_request);
                    _timerEInterval = TimeSpan.FromTicks(Math.Min(_timerEInterval.Ticks * 2, _timers.T2.Ticks));
                    _timerE = _scheduler.Schedule(this, SipTimer.E, _timerEInterval);
                    break;
                case (SipTimer.E, State.Proceeding):
                    // RFC 3261 §17.1.2.2: in Proceeding, retransmit every T2.
                    _sender.Send(_request);
                    _timerEInterval = _timers.T2;
                    _timerE = _scheduler.Schedule(this, SipTimer.E, _timerEInterval);
                    break;
                case (SipTimer.F, State.Trying or State.Proceeding):
                    _user.OnTimeout(this);
                    Terminate();
                    break;
                case (SipTimer.K, State.Completed):
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

    private void StartTimerK()
    {
        var delay = _timers.GetInitialDelay(SipTimer.K, _sender.IsReliable);
        if (delay == TimeSpan.Zero)
        {
            Terminate();
            return;
        }

        _timerK = _scheduler.Schedule(this, SipTimer.K, delay);
    }

    private void Terminate()
    {
        _timerE?.Cancel();
        _timerF?.Cancel();
        _timerK?.Cancel();
        CurrentState = State.Terminated;
        _user.OnTerminated(this);
    }
}
