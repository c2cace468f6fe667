using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Forwarding;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// One call: the caller's leg bridged to the callee leg that answers first, with the media bridge between them. The call
/// owns only the bridge and this state machine; its legs talk SIP. Every event is decided by one exhaustive
/// <c>(state, event)</c> switch under one lock, the way the transactions are.
/// </summary>
internal sealed class Call
{
    public enum State
    {
        /// <summary>The callee legs are being offered the call; the caller's INVITE has no final answer yet.</summary>
        Ringing,

        /// <summary>One callee answered; both dialogs are confirmed and the bridge relays.</summary>
        Answered,

        /// <summary>Over: no port, timer or table entry is left.</summary>
        Ended,
    }

    private readonly Lock _gate = new();
    private readonly List<CallLeg> _callees = [];
    private readonly CallEnvironment _environment;
    private readonly SdesOffer? _calleeOffer;
    private LocalMediaOptions _callerMedia;
    private LocalMediaOptions? _calleeMedia;
    private ITimer? _noAnswer;
    private ITimer? _mediaWatch;
    private ITimer? _forwardTimer;
    private CallForwarding? _forwarding;
    private int _generation;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ringing;

    public Call(
        HandsetLeg caller, NegotiationResult callerAnswer, SdesOffer? calleeOffer, RelaySession? bridge,
        LocalMediaOptions callerMedia, LocalMediaOptions? calleeMedia, CallEnvironment environment)
    {
        Caller = caller;
        CallerAnswer = callerAnswer;
        _calleeOffer = calleeOffer;
        Bridge = bridge;
        _callerMedia = callerMedia;
        _calleeMedia = calleeMedia;
        _environment = environment;
        StartedAt = environment.Time.GetUtcNow();
        caller.Call = this;
    }

    public Guid Id { get; } = Guid.CreateVersion7();

    public State CurrentState { get; private set; } = State.Ringing;

    public HandsetLeg Caller { get; }

    public Guid TenantId => Caller.TenantId;

    /// <summary>What the caller will be answered with once a callee answers (our key for the caller's side).</summary>
    public NegotiationResult CallerAnswer { get; }

    public CallLeg? Callee { get; private set; }

    public IReadOnlyList<CallLeg> Callees
    {
        get
        {
            lock (_gate)
            {
                return [.. _callees];
            }
        }
    }

    /// <summary>
    /// The bridge: side A is the caller, side B the callee. Recording taps its decrypted audio here
    /// (<c>RelaySession.SetTap</c>, the media seam; see <see cref="Recording"/>). Null when the callee is an application,
    /// which terminates the caller's media itself.
    /// </summary>
    public RelaySession? Bridge { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The recording policy decided when the parties were bridged (stored with the call), and its recording if it records.</summary>
    public Data.Recordings.RecordingVerdict? RecordingVerdict { get; private set; }

    public Recording.CallRecording? Recording { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public string CallId => Caller.CallId;

    /// <summary>Completes when the call has ended and its bridge has given its ports back.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Offers the call to every callee leg in parallel and starts the no-answer timer, and the callee's own
    /// "forward on no answer" timer when <paramref name="forwarding"/> says it has one.
    /// </summary>
    public void Start(IEnumerable<CallLeg> callees, CallForwarding? forwarding = null)
    {
        lock (_gate)
        {
            _forwarding = forwarding;
            ArmForwardTimer();
            foreach (var callee in callees)
            {
                callee.Call = this;
                _callees.Add(callee);
            }

            _noAnswer = _environment.Time.CreateTimer(static s => ((Call)s!).Handle(CallEvent.NoAnswer, null), this, _environment.Limits.NoAnswer, Timeout.InfiniteTimeSpan);
            foreach (var callee in _callees)
            {
                callee.Invite(_calleeOffer);
            }
        }

        // In progress from now on: the portal shows it among the active calls until the final record replaces it.
        _environment.Records.Write(CallFacts.Record(this, CallOutcome.InProgress, null, endedAt: null));
    }

    public void OnCalleeProgress(CallLeg callee, int status) => Handle(CallEvent.CalleeProgress, callee, status: status);

    public void OnCalleeAnswered(CallLeg callee) => Handle(CallEvent.CalleeAnswered, callee);

    public void OnCalleeFailed(CallLeg callee, int status) => Handle(CallEvent.CalleeFailed, callee, status: status);

    public void OnCancel(CallLeg caller, SipRequest cancel) => Handle(CallEvent.CallerCancelled, caller, cancel);

    public void OnBye(CallLeg leg, SipRequest bye) => Handle(CallEvent.Bye, leg, bye);

    public void OnReInvite(CallLeg leg, SipRequest invite) => Handle(CallEvent.ReInvite, leg, invite);

    public void OnApplicationDone(CallLeg application) => Handle(CallEvent.ApplicationDone, application);

    /// <summary>RFC 3261 §12.2.2: the CSeq check and target refresh of a request in one of this call's dialogs.</summary>
    public bool Accepts(Sip.Dialogs.Dialog dialog, SipRequest request)
    {
        lock (_gate)
        {
            return dialog.TryAcceptRequest(request);
        }
    }

    /// <summary>A connection is gone; if one of this call's legs used it, the call learns it lost that leg.</summary>
    public void OnConnectionClosed(long connectionId)
    {
        CallLeg? lost;
        lock (_gate)
        {
            lost = Caller.UsesConnection(connectionId) ? Caller
                : Callee is { } answered && answered.UsesConnection(connectionId) ? answered
                : _callees.Find(c => !c.HasFinalAnswer && c.UsesConnection(connectionId));
        }

        if (lost is not null)
        {
            Handle(CallEvent.ConnectionLost, lost);
        }
    }

    private void Handle(CallEvent happened, CallLeg? leg, SipRequest? request = null, int status = 0)
    {
        lock (_gate)
        {
            var fromCaller = ReferenceEquals(leg, Caller);
#pragma warning disable CS8524 // Both enums are private to the call layer and never hold unnamed values; CS8509 still checks every named pair.
            CurrentState = (CurrentState, happened) switch
            {
                // RFC 3261 §16.7 step 5 in spirit: the caller hears one 180, whichever fork rings first.
                (State.Ringing, CallEvent.CalleeProgress) => RingCaller(status),
                (State.Ringing, CallEvent.CalleeAnswered) => Connect(leg!),
                (State.Ringing, CallEvent.CalleeFailed) => CalleeFailed(),

                // RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE, and every fork is cancelled.
                (State.Ringing, CallEvent.CallerCancelled) => Cancelled(request!),
                (State.Ringing, CallEvent.NoAnswer) => GiveUp(),
                (State.Ringing, CallEvent.ForwardNoAnswer) => Forward(_forwarding!.Current!.ForwardNoAnswer!) ?? State.Ringing,

                // RFC 3261 §15: a callee may not end an early dialog with BYE; whoever tries loses its fork.
                (State.Ringing, CallEvent.Bye) => EarlyBye(leg!, request!, fromCaller),

                // RFC 3261 §14.2: an INVITE transaction is still in progress in this call: 491 Request Pending.
                (State.Ringing, CallEvent.ReInvite) => Refuse(leg!, request!, 491, "Request Pending", State.Ringing),
                (State.Ringing, CallEvent.ConnectionLost) => fromCaller ? CallerVanished() : CalleeVanished(leg!),
                (State.Ringing, CallEvent.MediaTimeout or CallEvent.ApplicationDone) => State.Ringing,

                (State.Answered, CallEvent.CalleeProgress or CallEvent.CalleeFailed or CallEvent.NoAnswer or CallEvent.ForwardNoAnswer) => State.Answered,

                // RFC 3261 §13.2.2.4: a second 2xx (another fork) is ACKed by its leg, then ended with BYE.
                (State.Answered, CallEvent.CalleeAnswered) => HangUpLate(leg!, State.Answered),

                // RFC 3261 §9.2: a CANCEL after the final response changes nothing, but is answered 200.
                (State.Answered, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Answered),
                (State.Answered, CallEvent.Bye) => HungUp(leg!, request!, fromCaller),
                (State.Answered, CallEvent.ReInvite) => Rekey(leg!, request!, fromCaller),
                (State.Answered, CallEvent.ConnectionLost) => LostLeg(fromCaller),
                (State.Answered, CallEvent.MediaTimeout) => Silent(),

                // The announcement has been played: the switch hangs up the caller (BYE, RFC 3261 §15.1.1).
                (State.Answered, CallEvent.ApplicationDone) => ApplicationDone(),

                // CANCEL racing the 200: the callee answered after the call ended; its leg ACKed, now BYE (§15).
                (State.Ended, CallEvent.CalleeAnswered) => HangUpLate(leg!, State.Ended),
                (State.Ended, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Ended),
                (State.Ended, CallEvent.Bye) => Reply(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, State.Ended),
                (State.Ended, CallEvent.ReInvite) => Refuse(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, null, State.Ended),
                (State.Ended, CallEvent.CalleeProgress or CallEvent.CalleeFailed or CallEvent.NoAnswer or CallEvent.ForwardNoAnswer or CallEvent.ConnectionLost or CallEvent.MediaTimeout or CallEvent.ApplicationDone) => State.Ended,
            };
#pragma warning restore CS8524
        }
    }

    private State RingCaller(int status)
    {
        if (!_ringing && status is 180 or 183)
        {
            _ringing = true;
            Caller.Ring();
        }

        return State.Ringing;
    }

    private State Connect(CallLeg callee)
    {
        if (callee.Media is not { IsAcceptable: true } accepted)
        {
            SwitchLog.ForkAnswerRefused(_environment.Logger, CallId, "the callee's SDP answer is not acceptable");
            callee.Hangup();
            return CalleeFailed();
        }

        Callee = callee;
        AnsweredAt = _environment.Time.GetUtcNow();
        _noAnswer?.Dispose();
        _forwardTimer?.Dispose();
        foreach (var other in _callees)
        {
            if (!ReferenceEquals(other, callee) && !other.HasFinalAnswer)
            {
                other.Cancel();
            }
        }

        if (Bridge is not null)
        {
            Bridge.Start(RelayLeg.FromNegotiated(CallerAnswer.Media!), RelayLeg.FromNegotiated(accepted.Media!));
            _mediaWatch = _environment.Time.CreateTimer(
                static s => ((Call)s!).CheckMedia(), this, _environment.Limits.MediaCheck, _environment.Limits.MediaCheck);
            if (_environment.Recorder is { } recorder)
            {
                (RecordingVerdict, Recording) = recorder.Begin(this);
            }
        }

        // Media is ready before the caller hears the 200, so its first packet is never early for the relay or the player.
        callee.OnConnected();
        Caller.Answer(CallerAnswer);
        SwitchLog.CallAnswered(_environment.Logger, CallId, Caller.Party, callee.Party);
        _environment.Records.Write(CallFacts.Record(this, CallOutcome.InProgress, null, endedAt: null));
        return State.Answered;
    }

    private State CalleeFailed()
    {
        if (!_callees.TrueForAll(c => c.HasFinalAnswer))
        {
            return State.Ringing;
        }

        // RFC 3261 §16.7 step 6 in spirit: busy wins over the rest, else the callee is unavailable. Only the forks of
        // the extension ringing now count: a forwarded call is busy when its last target is.
        var busy = _callees.Skip(_generation).Any(c => c is HandsetLeg { FinalStatus: 486 or 600 or 603 });
        if (busy && _forwarding?.Current?.ForwardBusy is { } target && Forward(target) is { } forwarded)
        {
            return forwarded;
        }

        var status = busy ? SipStatusCodes.BusyHere : SipStatusCodes.TemporarilyUnavailable;
        Caller.Refuse(status);
        return End(busy ? CallOutcome.Busy : CallOutcome.Unavailable, status);
    }

    /// <summary>
    /// The callee's forward (busy or no answer): its forks still ringing are cancelled (RFC 3261 §9.1) and the target's
    /// handsets are offered the same call, with the same offer for the bridge's side B. Null when there is nobody there,
    /// and the call goes on as if it had no forward.
    /// </summary>
    private State? Forward(string target)
    {
        switch (_forwarding!.Next(target, out var legs))
        {
            case ForwardResult.Nowhere:
                return null;
            case ForwardResult.Loop:
                CancelCallees();
                Caller.Refuse(SipStatusCodes.LoopDetected, "Loop Detected");
                return End(CallOutcome.Failed, SipStatusCodes.LoopDetected);
            case ForwardResult.Forwarded:
                break;
        }

        CancelCallees();
        _generation = _callees.Count;
        foreach (var leg in legs)
        {
            leg.Call = this;
            _callees.Add(leg);
        }

        // The target rings for the call's whole no-answer time, and for its own forward time when it has one.
        _noAnswer?.Change(_environment.Limits.NoAnswer, Timeout.InfiniteTimeSpan);
        _forwardTimer?.Dispose();
        ArmForwardTimer();
        foreach (var leg in legs)
        {
            leg.Invite(_calleeOffer);
        }

        return State.Ringing;
    }

    private void ArmForwardTimer()
    {
        _forwardTimer = _forwarding?.Current is { ForwardNoAnswer: not null } ringing
            ? _environment.Time.CreateTimer(
                static s => ((Call)s!).Handle(CallEvent.ForwardNoAnswer, null), this, TimeSpan.FromSeconds(ringing.ForwardNoAnswerSeconds), Timeout.InfiniteTimeSpan)
            : null;
    }

    private State Cancelled(SipRequest cancel)
    {
        Caller.Reply(cancel, SipStatusCodes.Ok);
        CancelCallees();
        Caller.Refuse(SipStatusCodes.RequestTerminated);
        return End(CallOutcome.Cancelled, SipStatusCodes.RequestTerminated);
    }

    private State GiveUp()
    {
        CancelCallees();
        Caller.Refuse(SipStatusCodes.TemporarilyUnavailable, "No Answer");
        return End(CallOutcome.NoAnswer, SipStatusCodes.TemporarilyUnavailable);
    }

    private State EarlyBye(CallLeg leg, SipRequest bye, bool fromCaller)
    {
        leg.Reply(bye, SipStatusCodes.Ok);
        if (fromCaller)
        {
            CancelCallees();
            Caller.Refuse(SipStatusCodes.RequestTerminated);
            return End(CallOutcome.Cancelled, SipStatusCodes.RequestTerminated);
        }

        leg.Cancel();
        return CalleeFailed();
    }

    private State CallerVanished()
    {
        CancelCallees();
        return End(CallOutcome.Failed, null);
    }

    private State CalleeVanished(CallLeg callee)
    {
        callee.Cancel();
        return CalleeFailed();
    }

    private static State HangUpLate(CallLeg leg, State stay)
    {
        leg.Hangup();
        return stay;
    }

    private static State Reply(CallLeg leg, SipRequest request, int status, State stay)
    {
        leg.Reply(request, status);
        return stay;
    }

    private static State Refuse(CallLeg leg, SipRequest invite, int status, string? reason, State stay)
    {
        leg.AnswerReInvite(invite, status, reason, null);
        return stay;
    }

    private State HungUp(CallLeg leg, SipRequest bye, bool fromCaller)
    {
        if (!fromCaller && !ReferenceEquals(leg, Callee))
        {
            // A fork that lost the race has no dialog in this call any more (RFC 3261 §12.2.2).
            return Reply(leg, bye, SipStatusCodes.CallOrTransactionDoesNotExist, State.Answered);
        }

        leg.Reply(bye, SipStatusCodes.Ok);
        (fromCaller ? Callee! : Caller).Hangup();
        return End(CallOutcome.Answered, SipStatusCodes.Ok);
    }

    /// <summary>
    /// RFC 3264 §8: the switch answers a re-INVITE for that side alone, with a fresh SDES key for the side it re-keys
    /// (RFC 4568 §7.1.4); the other side's relay leg and its outbound stream stay as they are.
    /// </summary>
    private State Rekey(CallLeg leg, SipRequest invite, bool fromCaller)
    {
        if (!fromCaller && !ReferenceEquals(leg, Callee))
        {
            return Refuse(leg, invite, SipStatusCodes.CallOrTransactionDoesNotExist, null, State.Answered);
        }

        if (!SdpReader.TryRead(invite.Body, out var offer, out _))
        {
            leg.AnswerReInvite(invite, SipStatusCodes.NotAcceptableHere, "No usable SDP offer", null);
            return State.Answered;
        }

        if (Bridge is null || (fromCaller ? _callerMedia : _calleeMedia) is not { } local)
        {
            // An application terminates the caller's media itself and does not change it mid-call.
            leg.AnswerReInvite(invite, SipStatusCodes.NotAcceptableHere, "Media Cannot Change Now", null);
            return State.Answered;
        }

        local = local with { SessionVersion = local.SessionVersion + 1 };
        var answer = SdesOfferAnswer.Answer(offer, local);
        if (!answer.IsAcceptable)
        {
            SwitchLog.OfferRefused(_environment.Logger, CallId, CallFacts.Printable(answer.NotAcceptableReason));
            leg.AnswerReInvite(invite, SipStatusCodes.NotAcceptableHere, answer.ReasonPhrase, null);
            return State.Answered;
        }

        if (fromCaller)
        {
            _callerMedia = local;
            Bridge.ReplaceA(RelayLeg.FromNegotiated(answer.Media));
        }
        else
        {
            _calleeMedia = local;
            Bridge.ReplaceB(RelayLeg.FromNegotiated(answer.Media));
        }

        if (leg is HandsetLeg handset)
        {
            handset.Renegotiated(answer);
        }

        SwitchLog.ReInviteAnswered(_environment.Logger, CallId, answer.Media.Direction.ToString());
        leg.AnswerReInvite(invite, SipStatusCodes.Ok, null, answer.Answer);
        return State.Answered;
    }

    private State ApplicationDone()
    {
        Caller.Hangup();
        return End(CallOutcome.Answered, SipStatusCodes.Ok);
    }

    private State LostLeg(bool fromCaller)
    {
        (fromCaller ? Callee! : Caller).Hangup();
        return End(CallOutcome.Answered, null);
    }

    private State Silent()
    {
        SwitchLog.MediaTimeout(_environment.Logger, CallId);
        Caller.Hangup();
        Callee!.Hangup();
        return End(CallOutcome.Answered, null);
    }

    private async Task CloseBridgeAsync()
    {
        if (Bridge is not null)
        {
            await Bridge.DisposeAsync();
        }

        _closed.TrySetResult();
    }

    private void CheckMedia()
    {
        if (Bridge is not null && Bridge.Activity.LongestSilence > _environment.Limits.MediaTimeout)
        {
            Handle(CallEvent.MediaTimeout, null);
        }
    }

    private void CancelCallees()
    {
        foreach (var callee in _callees)
        {
            if (!callee.HasFinalAnswer)
            {
                callee.Cancel();
            }
        }
    }

    /// <summary>Ends the call once: timers stop, every leg leaves the tables, the ports go back, the record is written.</summary>
    private State End(CallOutcome outcome, int? finalStatus)
    {
        _noAnswer?.Dispose();
        _forwardTimer?.Dispose();
        _mediaWatch?.Dispose();
        Caller.Forget();
        foreach (var callee in _callees)
        {
            callee.Forget();
        }

        if (Recording is not null)
        {
            _environment.Recorder!.End(Recording);
        }

        _ = CloseBridgeAsync();
        SwitchLog.CallEnded(_environment.Logger, CallId, outcome.ToString(), Bridge?.PacketsRelayed ?? 0);
        _environment.Ended(this);
        _environment.Records.Write(CallFacts.Record(this, outcome, finalStatus, _environment.Time.GetUtcNow()));
        return State.Ended;
    }
}
