using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

/// <summary>The non-INVITE server transaction of RFC 3261 §17.2.2 (Figure 8).</summary>
public sealed class ServerNonInviteTransaction : ISipTransaction
{
    public enum State
    {
        Trying,
        Proceeding,
        Completed,
        Terminated,
    }

    private readonly Lock _gate = new();
    private readonly ISipSender _sender;
    private readonly ITransactionUser _user;
    private readonly SipTimerScheduler _scheduler;
    private readonly SipTimers _timers;
    private SipResponse? _lastResponse;
    private SipTimerRegistration? _timerJ;

    public ServerNonInviteTransaction(SipRequest request, ISipSender sender, ITransactionUser user, SipTimerScheduler scheduler, SipTimers timers)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is SipMethod.Invite or SipMethod.Ack || !TransactionKey.TryCreateServerKey(request, out var key))
        {
            throw new ArgumentException("A non-INVITE, non-ACK request with an RFC 3261 branch is required.", nameof(request));
        }

        Request = request;
        _sender = sender;
        _user = user;
        _scheduler = scheduler;
        _timers = timers;
        Key = key;
    }

    public TransactionKey Key { get; }

    public State CurrentState { get; private set; } = State.Trying;

    public bool IsTerminated => CurrentState == State.Terminated;

    public SipRequest Request { get; }

    public void SendResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        lock (_gate)
        {
            if (CurrentState is State.Completed or State.Terminated)
            {
                return;
            }

            _sender.Send(response);
            _lastResponse = response;
            if (response.StatusCode < 200)
            {
                CurrentState = State.Proceeding;
                return;
            }

            // RFC 3261 §17.2.2: Completed keeps answering retransmissions for Timer J (64*T1, or zero when reliable).
            CurrentState = State.Completed;
            var delay = _timers.GetInitialDelay(SipTimer.J, _sender.IsReliable);
            if (delay == TimeSpan.Zero)
            {
                Terminate();
                return;
            }

            _timerJ = _scheduler.Schedule(this, SipTimer.J, delay);
        }
    }

    public void OnReceive(SipMessage message)
    {
        if (message is not SipRequest)
        {
            return;
        }

        lock (_gate)
        {
            switch (CurrentState)
            {
                case State.Trying:
                    // RFC 3261 §17.2.2: retransmissions in Trying are discarded.
                    break;
                case State.Proceeding or State.Completed:
                    _sender.Send(_lastResponse!);
                    break;
                case State.Terminated:
                    break;
            }
        }
    }

    public void OnTimer(SipTimer timer)
    {
        lock (_gate)
        {
            if (timer == SipTimer.J && CurrentState == State.Completed)
            {
                Terminate();
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

    private void Terminate()
    {
        _timerJ?.Cancel();
        CurrentState = State.Terminated;
        _user.OnTerminated(this);
    }
}
