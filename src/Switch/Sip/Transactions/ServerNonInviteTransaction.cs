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
    private TransactionNotices _notices;
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
        TransactionNotices notices;
        lock (_gate)
        {
#pragma warning disable CS8524 // State is private to this machine and never holds unnamed values; CS8509 still checks every named one.
            MoveTo((CurrentState, ResponseKinds.Of(response.StatusCode)) switch
            {
                (State.Trying or State.Proceeding, ResponseKind.Provisional) => Send(response, State.Proceeding),
                (State.Trying or State.Proceeding, ResponseKind.Success or ResponseKind.Failure) => Complete(response),

                // A response after the final one is a TU bug; the peer already has its answer.
                (State.Completed or State.Terminated, _) => CurrentState,
            });
#pragma warning restore CS8524

            notices = _notices;
            _notices = default;
        }

        notices.Deliver(this, _user);
    }

    public void OnReceive(SipMessage message)
    {
        if (message is not SipRequest)
        {
            return;
        }

        TransactionNotices notices;
        lock (_gate)
        {
#pragma warning disable CS8524 // See SendResponse.
            MoveTo(CurrentState switch
            {
                // RFC 3261 §17.2.2: retransmissions in Trying are discarded.
                State.Trying => State.Trying,

                // RFC 3261 §17.2.2: in Proceeding and Completed the last response is sent again.
                State.Proceeding or State.Completed => Send(_lastResponse!, CurrentState),
                State.Terminated => State.Terminated,
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
                (SipTimer.J, State.Completed) => State.Terminated,
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

    // RFC 3261 §17.2.2: Completed keeps answering retransmissions for Timer J (64*T1, or zero when reliable).
    private State Complete(SipResponse response)
    {
        Send(response, State.Completed);
        var delay = _timers.GetInitialDelay(SipTimer.J, _sender.IsReliable);
        if (delay == TimeSpan.Zero)
        {
            return State.Terminated;
        }

        _timerJ = _scheduler.Schedule(this, SipTimer.J, delay);
        return State.Completed;
    }

    private void MoveTo(State next)
    {
        var previous = CurrentState;
        CurrentState = next;
        if (next == State.Terminated && previous != State.Terminated)
        {
            _timerJ?.Cancel();
            _notices.Terminated = true;
        }
    }
}
