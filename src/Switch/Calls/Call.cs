using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Forwarding;
using HostedPbx.Switch.Calls.Transfer;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;

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

        /// <summary>
        /// Answered, and one side asked to be replaced by a transfer target (REFER), whose handsets ring now; the bridge
        /// still relays between the two sides until the target answers.
        /// </summary>
        Transferring,

        /// <summary>Over: no port, timer or table entry is left.</summary>
        Ended,
    }

    /// <summary>RFC 3515 §2.4.2: a REFER the switch will act on is answered 202 Accepted.</summary>
    private const int Accepted = 202;

    private readonly Lock _gate = new();
    private readonly List<CallLeg> _callees = [];
    private readonly List<CallLeg> _withdrawn = [];
    private readonly HashSet<CallLeg> _settled = [];
    private readonly Queue<PendingEvent> _pending = [];
    private readonly List<CallLeg> _parties = [];
    private readonly List<CallLeg> _departed = [];
    private PendingTransfer? _transfer;
    private readonly CallEnvironment _environment;
    private readonly SdesOffer? _calleeOffer;
    private LocalMediaOptions _callerMedia;
    private LocalMediaOptions? _calleeMedia;
    private ITimer? _noAnswer;
    private ITimer? _mediaWatch;
    private ITimer? _forwardTimer;
    private CallForwarding? _forwarding;
    private bool _deciding;
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
        CallId = caller.CallId;
        TenantId = caller.TenantId;
        InviteKey = caller.InboundInvite?.Key;
        caller.Call = this;
        _parties.Add(caller);
    }

    public Guid Id { get; } = Guid.CreateVersion7();

    private volatile State _state = State.Ringing;

    /// <summary>
    /// The state once the decision in progress, if any, has finished: a reader waits for it, so what a party was already
    /// told in that decision (a 200 relayed to the caller) is never ahead of what the call says of itself.
    /// </summary>
    public State CurrentState
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// The state without waiting for a decision in progress: for the controller, which reads it under its own lock, one
    /// that a decision may take too (waiting here could deadlock). It may be one decision behind.
    /// </summary>
    public State StateWithoutWaiting => _state;

    /// <summary>Side A of the bridge: the caller, or whoever a transfer by the caller put in its place.</summary>
    public HandsetLeg Caller { get; private set; }

    public Guid TenantId { get; }

    /// <summary>The caller's INVITE server transaction, which the controller keeps for CANCEL until the call ends.</summary>
    public TransactionKey? InviteKey { get; }

    /// <summary>What the caller will be answered with once a callee answers (our key for the caller's side).</summary>
    public NegotiationResult CallerAnswer { get; }

    /// <summary>Side B of the bridge: the callee that answered, or whoever a transfer by the callee put in its place.</summary>
    public CallLeg? Callee { get; private set; }

    /// <summary>Everyone who has been on the call, in order: the caller, the callee that answered, each transfer target.</summary>
    public IReadOnlyList<CallLeg> Parties
    {
        get
        {
            lock (_gate)
            {
                return [.. _parties];
            }
        }
    }

    /// <summary>The extension the caller dialled (after its "forward always"), whoever rings now.</summary>
    public string Dialled { get; private set; } = "";

    /// <summary>The forks ringing now: those of the extension the call was last forwarded to.</summary>
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

    public Recording.RecordedCall? Recording { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public string CallId { get; }

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

            Dialled = _callees.Count > 0 ? _callees[0].Party : "";

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

    /// <summary>A REFER in <paramref name="leg"/>'s dialog to a target the controller has checked, with forks to its handsets.</summary>
    public void OnRefer(CallLeg leg, SipRequest refer, List<CallLeg> targetForks) => Handle(CallEvent.Refer, leg, refer, legs: targetForks);

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
                : _transfer is { TransferorGone: false } transfer && transfer.Transferor.UsesConnection(connectionId) ? transfer.Transferor
                : _callees.Find(c => !c.HasFinalAnswer && c.UsesConnection(connectionId))
                    ?? _transfer?.Forks.Find(c => !c.HasFinalAnswer && c.UsesConnection(connectionId));
        }

        if (lost is not null)
        {
            Handle(CallEvent.ConnectionLost, lost);
        }
    }

    /// <summary>
    /// Takes one event under the lock and decides it to completion. An event raised while another is being decided (a
    /// leg that fails at once while the call offers it, on the same thread) waits its turn, so every decision sees the
    /// state the one before it left, never a state about to be overwritten.
    /// </summary>
    private void Handle(CallEvent happened, CallLeg? leg, SipRequest? request = null, int status = 0, List<CallLeg>? legs = null)
    {
        lock (_gate)
        {
            _pending.Enqueue(new PendingEvent(happened, leg, request, status, legs));
            if (_deciding)
            {
                return;
            }

            _deciding = true;
            try
            {
                while (_pending.TryDequeue(out var next))
                {
                    _state = Decide(next.Event, next.Leg, next.Request, next.Status, next.Legs);
                }
            }
            finally
            {
                _deciding = false;
            }
        }
    }

    private State Decide(CallEvent happened, CallLeg? leg, SipRequest? request, int status, List<CallLeg>? legs)
    {
        var fromCaller = ReferenceEquals(leg, Caller);
        var withdrawn = leg is not null && _withdrawn.Contains(leg);
        var transferFork = leg is not null && _transfer is not null && _transfer.Forks.Contains(leg);
#pragma warning disable CS8524 // Both enums are private to the call layer and never hold unnamed values; CS8509 still checks every named pair.
        return (_state, happened) switch
        {
            // A fork an earlier forward cancelled belongs to a generation the call has left: its late 1xx or 487 changes
            // nothing for the forks ringing now, and a 2xx that crossed our CANCEL is ACKed by its leg and ended (§15).
            (State.Ringing, CallEvent.CalleeProgress or CallEvent.CalleeFailed) when withdrawn => State.Ringing,
            (State.Ringing, CallEvent.CalleeAnswered) when withdrawn => HangUpLate(leg!, State.Ringing),

            // RFC 3261 §16.7 step 5 in spirit: the caller hears one 180, whichever fork rings first.
            (State.Ringing, CallEvent.CalleeProgress) => RingCaller(status),
            (State.Ringing, CallEvent.CalleeAnswered) => Connect(leg!),
            (State.Ringing, CallEvent.CalleeFailed) => CalleeFailed(leg!),

            // RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE, and every fork is cancelled.
            (State.Ringing, CallEvent.CallerCancelled) => Cancelled(request!),
            (State.Ringing, CallEvent.NoAnswer) => ToMailbox(GreetingKind.Unavailable) ?? GiveUp(),
            (State.Ringing, CallEvent.ForwardNoAnswer) => FollowForward(ForwardReason.NoAnswer) ?? ToMailbox(GreetingKind.Unavailable) ?? State.Ringing,

            // RFC 3261 §15: a callee may not end an early dialog with BYE; whoever tries loses its fork.
            (State.Ringing, CallEvent.Bye) => EarlyBye(leg!, request!, fromCaller),

            // RFC 3261 §14.2: an INVITE transaction is still in progress in this call: 491 Request Pending.
            (State.Ringing, CallEvent.ReInvite) => Refuse(leg!, request!, 491, "Request Pending", State.Ringing),
            (State.Ringing, CallEvent.ConnectionLost) => fromCaller ? CallerVanished() : CalleeVanished(leg!),
            (State.Ringing, CallEvent.MediaTimeout or CallEvent.ApplicationDone or CallEvent.Announced) => State.Ringing,

            // RFC 3515 §2.4.2: a REFER the switch will not act on is refused; a call not yet answered has nothing to transfer.
            (State.Ringing, CallEvent.Refer) => Reply(leg!, request!, SipStatusCodes.Forbidden, State.Ringing, "Transfer Not Allowed Now"),

            (State.Answered, CallEvent.CalleeProgress or CallEvent.CalleeFailed or CallEvent.NoAnswer or CallEvent.ForwardNoAnswer) => State.Answered,

            // RFC 3261 §13.2.2.4: a second 2xx (another fork) is ACKed by its leg, then ended with BYE.
            (State.Answered, CallEvent.CalleeAnswered) => HangUpLate(leg!, State.Answered),

            // RFC 3261 §9.2: a CANCEL after the final response changes nothing, but is answered 200.
            (State.Answered, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Answered),
            (State.Answered, CallEvent.Bye) => HungUp(leg!, request!, fromCaller),
            (State.Answered, CallEvent.ReInvite) => Rekey(leg!, request!, fromCaller, State.Answered),
            (State.Answered, CallEvent.ConnectionLost) => LostLeg(fromCaller),
            (State.Answered, CallEvent.MediaTimeout) => Silent(),

            // The announcement has been played: the switch hangs up the caller (BYE, RFC 3261 §15.1.1).
            (State.Answered, CallEvent.ApplicationDone) => ApplicationDone(),
            (State.Answered, CallEvent.Refer) => StartTransfer(leg!, request!, legs!, fromCaller),
            (State.Answered, CallEvent.Announced) => StartBridge(State.Answered),

            // The target's forks: a 1xx is passed on to the transferor, the first 2xx takes the transferor's place.
            (State.Transferring, CallEvent.CalleeProgress) => transferFork ? TransferRinging(status) : State.Transferring,
            (State.Transferring, CallEvent.CalleeAnswered) => transferFork ? CompleteTransfer(leg!) : HangUpLate(leg!, State.Transferring),
            (State.Transferring, CallEvent.CalleeFailed) => transferFork ? TransferForkFailed(leg!) : State.Transferring,
            (State.Transferring, CallEvent.NoAnswer) => TransferFailed(SipStatusCodes.TemporarilyUnavailable, "No Answer"),
            (State.Transferring, CallEvent.ForwardNoAnswer or CallEvent.MediaTimeout or CallEvent.ApplicationDone) => State.Transferring,
            (State.Transferring, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Transferring),
            (State.Transferring, CallEvent.Bye) => TransferBye(leg!, request!),
            (State.Transferring, CallEvent.ReInvite) => Rekey(leg!, request!, fromCaller, State.Transferring),
            (State.Transferring, CallEvent.Refer) => Reply(leg!, request!, SipStatusCodes.Forbidden, State.Transferring, "Transfer In Progress"),
            (State.Transferring, CallEvent.ConnectionLost) => TransferLegLost(leg!, transferFork),
            (State.Transferring, CallEvent.Announced) => StartBridge(State.Transferring),

            // CANCEL racing the 200: the callee answered after the call ended; its leg ACKed, now BYE (§15).
            (State.Ended, CallEvent.CalleeAnswered) => HangUpLate(leg!, State.Ended),
            (State.Ended, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Ended),
            (State.Ended, CallEvent.Bye) => Reply(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, State.Ended),
            (State.Ended, CallEvent.ReInvite) => Refuse(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, null, State.Ended),
            (State.Ended, CallEvent.Refer) => Reply(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, State.Ended),
            (State.Ended, CallEvent.CalleeProgress or CallEvent.CalleeFailed or CallEvent.NoAnswer or CallEvent.ForwardNoAnswer or CallEvent.ConnectionLost or CallEvent.MediaTimeout or CallEvent.ApplicationDone or CallEvent.Announced) => State.Ended,
        };
#pragma warning restore CS8524
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
            return CalleeFailed(callee);
        }

        Callee = callee;
        _parties.Add(callee);
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

        if (Bridge is not null && callee.Kind != LegKind.Application)
        {
            // Issue 10 item 1: where the policy asks, both parties hear "this call may be recorded" before they are bridged.
            RecordingVerdict = _environment.Recorder?.Decide(this);
            if (_environment.Recorder?.AnnounceAsync(this, RecordingVerdict!, CallerAnswer.Media!, accepted.Media!) is { } announcing)
            {
                _ = announcing.ContinueWith(static (_, s) => ((Call)s!).Handle(CallEvent.Announced, null), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
            else
            {
                StartBridge(State.Answered);
            }
        }

        // Media is ready before the caller hears the 200, so its first packet is never early for the relay or the player.
        callee.OnConnected();
        Caller.Answer(CallerAnswer);
        SwitchLog.CallAnswered(_environment.Logger, CallId, Caller.Party, callee.Party);
        _environment.Records.Write(CallFacts.Record(this, CallOutcome.InProgress, null, endedAt: null));
        return State.Answered;
    }

    /// <summary>The parties are bridged: media flows between them, is watched, and is recorded where the policy says.</summary>
    private State StartBridge(State state)
    {
        Bridge!.Start(RelayLeg.FromNegotiated(CallerAnswer.Media!), RelayLeg.FromNegotiated(Callee!.Media!.Media!));
        _mediaWatch = _environment.Time.CreateTimer(
            static s => ((Call)s!).CheckMedia(), this, _environment.Limits.MediaCheck, _environment.Limits.MediaCheck);
        if (_environment.Recorder is { } recorder)
        {
            Recording = recorder.Begin(this, RecordingVerdict!);
        }

        return state;
    }

    /// <summary>
    /// One fork has failed. The call counts only the final answers it has itself been told of, under its lock: a leg
    /// marks its own final status on the thread that read the response, before the call hears of it, so a fork whose
    /// 2xx is on its way would otherwise count as failed (the forward race of issue 12: 202's 487 and 203's 200 at once).
    /// </summary>
    private State CalleeFailed(CallLeg failed)
    {
        _settled.Add(failed);
        if (!_callees.TrueForAll(_settled.Contains))
        {
            return State.Ringing;
        }

        // RFC 3261 §16.7 step 6 in spirit: busy wins over the rest, else the callee is unavailable. Only the forks of
        // the extension ringing now count: a forwarded call is busy when its last target is.
        var busy = _callees.Exists(c => c is HandsetLeg { FinalStatus: 486 or 600 or 603 } or Trunks.TrunkLeg { FinalStatus: 486 or 600 or 603 });
        if (FollowForward(busy ? ForwardReason.Busy : ForwardReason.Unavailable) is { } forwarded)
        {
            return forwarded;
        }

        if (ToMailbox(busy ? GreetingKind.Busy : GreetingKind.Unavailable) is { } deposited)
        {
            return deposited;
        }

        var status = busy ? SipStatusCodes.BusyHere : SipStatusCodes.TemporarilyUnavailable;
        Caller.Refuse(status);
        return End(busy ? CallOutcome.Busy : CallOutcome.Unavailable, status);
    }

    /// <summary>What the callee's forwarding says for <paramref name="reason"/>; null when it says nothing (or nobody is there).</summary>
    private State? FollowForward(ForwardReason reason) =>
        _forwarding?.Decide(reason) is { Action: ForwardAction.Forward, Target: { } target } ? Forward(target) : null;

    /// <summary>
    /// The callee's forward (busy, no answer or unavailable): its forks still ringing are cancelled (RFC 3261 §9.1) and the target's
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

        // The forks left behind leave this generation before the new ones join, in the same decision: whatever they
        // answer later (487, or a 2xx that crossed the CANCEL) is theirs alone.
        CancelCallees();
        _withdrawn.AddRange(_callees);
        _callees.Clear();
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

    /// <summary>
    /// Voicemail (issue 9), the last resort once forwarding has nothing more to try: the mailbox of the extension
    /// ringing now answers the caller on the bridge's side A, where the caller's answer already points; the bridge
    /// never starts. Null when that extension has no mailbox.
    /// </summary>
    private State? ToMailbox(GreetingKind greeting)
    {
        if (_environment.Mailboxes is not { } mailboxes || Bridge is null || _forwarding?.Current is not { VoicemailEnabled: true } owner)
        {
            return null;
        }

        // The forks left behind leave this generation first, as a forward's do: what they answer later is theirs alone.
        CancelCallees();
        _withdrawn.AddRange(_callees);
        _callees.Clear();
        var mailbox = mailboxes.Open(this, owner, greeting, Bridge.SideA, ownsSocket: false, CallerAnswer);
        mailbox.Call = this;
        _callees.Add(mailbox);
        mailbox.Take();
        return Connect(mailbox);
    }

    private void ArmForwardTimer()
    {
        // The extension's own no-answer time also sends the call to its mailbox (issue 9), with or without a forward.
        _forwardTimer = _forwarding?.Current is { } ringing && (ringing.ForwardNoAnswer is not null || (ringing.VoicemailEnabled && _environment.Mailboxes is not null))
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
        return CalleeFailed(leg);
    }

    private State CallerVanished()
    {
        CancelCallees();
        return End(CallOutcome.Failed, null);
    }

    private State CalleeVanished(CallLeg callee)
    {
        callee.Cancel();
        return CalleeFailed(callee);
    }

    private static State HangUpLate(CallLeg leg, State stay)
    {
        leg.Hangup();
        return stay;
    }

    private static State Reply(CallLeg leg, SipRequest request, int status, State stay, string? reason = null)
    {
        leg.Reply(request, status, reason);
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
    private State Rekey(CallLeg leg, SipRequest invite, bool fromCaller, State stay)
    {
        if (!fromCaller && !ReferenceEquals(leg, Callee))
        {
            return Refuse(leg, invite, SipStatusCodes.CallOrTransactionDoesNotExist, null, stay);
        }

        if (!SdpReader.TryRead(invite.Body, out var offer, out _))
        {
            leg.AnswerReInvite(invite, SipStatusCodes.NotAcceptableHere, "No usable SDP offer", null);
            return stay;
        }

        if (Bridge is null || (fromCaller ? _callerMedia : _calleeMedia) is not { } local)
        {
            // An application terminates the caller's media itself and does not change it mid-call.
            leg.AnswerReInvite(invite, SipStatusCodes.NotAcceptableHere, "Media Cannot Change Now", null);
            return stay;
        }

        local = local with { SessionVersion = local.SessionVersion + 1 };
        var answer = SdesOfferAnswer.Answer(offer, local);
        if (!answer.IsAcceptable)
        {
            SwitchLog.OfferRefused(_environment.Logger, CallId, PeerText.Bound(answer.NotAcceptableReason));
            leg.AnswerReInvite(invite, SipStatusCodes.NotAcceptableHere, answer.ReasonPhrase, null);
            return stay;
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
        return stay;
    }

    /// <summary>
    /// RFC 3515 §2.4.2, RFC 5589 §6: a blind transfer. The REFER is accepted (202) and its implicit subscription told
    /// "100 Trying"; the target's handsets are offered the transferor's side of the bridge with a key of its own (RFC 4568
    /// §7.1.1), while both sides go on talking until one answers. The remaining party's leg and side never change.
    /// </summary>
    private State StartTransfer(CallLeg leg, SipRequest refer, List<CallLeg> forks, bool fromCaller)
    {
        if (leg is not HandsetLeg transferor || (!fromCaller && !ReferenceEquals(leg, Callee)))
        {
            return Reply(leg, refer, SipStatusCodes.CallOrTransactionDoesNotExist, State.Answered);
        }

        if (Bridge is null || (fromCaller ? _callerMedia : _calleeMedia) is not { } local)
        {
            // An application's call (an announcement) has no side to give away.
            return Reply(leg, refer, SipStatusCodes.Forbidden, State.Answered, "Transfer Not Allowed");
        }

        local = local with { SessionVersion = local.SessionVersion + 1 };
        var sequence = refer.TryGetCSeq(out var cseq) ? cseq.Number : 0;
        _transfer = new PendingTransfer(transferor, fromCaller, sequence, local, SdesOfferAnswer.CreateOffer(local), forks);
        leg.Reply(refer, Accepted, "Accepted");
        _transfer.Notify(SipStatusCodes.Trying, "Trying", final: false);
        SwitchLog.TransferStarted(_environment.Logger, CallId, leg.Party, forks.Count > 0 ? forks[0].Party : "", forks.Count);
        if (forks.Count == 0)
        {
            return TransferFailed(SipStatusCodes.TemporarilyUnavailable, "Temporarily Unavailable");
        }

        _noAnswer?.Dispose();
        _noAnswer = _environment.Time.CreateTimer(static s => ((Call)s!).Handle(CallEvent.NoAnswer, null), this, _environment.Limits.NoAnswer, Timeout.InfiniteTimeSpan);
        foreach (var fork in forks)
        {
            fork.Call = this;
            fork.Invite(_transfer.Offer);
        }

        return State.Transferring;
    }

    private State TransferRinging(int status)
    {
        if (_transfer is { TargetRinging: false } transfer && status is 180 or 183)
        {
            transfer.TargetRinging = true;
            transfer.Notify(SipStatusCodes.Ringing, "Ringing", final: false);
        }

        return State.Transferring;
    }

    /// <summary>
    /// The target answered: its media takes the transferor's side of the bridge (that side's outbound stream is re-keyed,
    /// the remaining party's is untouched), the subscription ends with "200 OK", and the transferor is hung up (BYE).
    /// </summary>
    private State CompleteTransfer(CallLeg target)
    {
        var transfer = _transfer!;
        if (target.Media is not { IsAcceptable: true } accepted || (transfer.TransferorIsCaller && target is not HandsetLeg))
        {
            SwitchLog.ForkAnswerRefused(_environment.Logger, CallId, "the transfer target's SDP answer is not acceptable");
            target.Hangup();
            return TransferForkFailed(target);
        }

        _noAnswer?.Dispose();
        foreach (var other in transfer.Forks)
        {
            if (!ReferenceEquals(other, target) && !other.HasFinalAnswer)
            {
                other.Cancel();
            }
        }

        var joined = RelayLeg.FromNegotiated(accepted.Media!);
        var remaining = transfer.TransferorIsCaller ? Callee! : Caller;
        if (transfer.TransferorIsCaller)
        {
            Bridge!.ReplaceA(joined);
            _callerMedia = transfer.Local;
            Caller = (HandsetLeg)target;
        }
        else
        {
            Bridge!.ReplaceB(joined);
            _calleeMedia = transfer.Local;
            Callee = target;
        }

        _parties.Add(target);
        _departed.Add(transfer.Transferor);
        _departed.AddRange(transfer.Forks.Where(f => !ReferenceEquals(f, target)));
        _transfer = null;
        target.OnConnected();
        transfer.Notify(SipStatusCodes.Ok, "OK", final: true);
        if (!transfer.TransferorGone)
        {
            transfer.Transferor.Hangup();
        }

        SwitchLog.TransferCompleted(_environment.Logger, CallId, transfer.Transferor.Party, target.Party, remaining.Party);
        _environment.Records.Write(CallFacts.Record(this, CallOutcome.InProgress, null, endedAt: null));
        return State.Answered;
    }

    private State TransferForkFailed(CallLeg fork)
    {
        var transfer = _transfer!;
        transfer.Settled.Add(fork);
        if (!transfer.Forks.TrueForAll(transfer.Settled.Contains))
        {
            return State.Transferring;
        }

        return transfer.Forks.Exists(c => c is HandsetLeg { FinalStatus: 486 or 600 or 603 })
            ? TransferFailed(SipStatusCodes.BusyHere, "Busy Here")
            : TransferFailed(SipStatusCodes.TemporarilyUnavailable, "Temporarily Unavailable");
    }

    /// <summary>
    /// The target did not answer: the subscription ends with its status (RFC 3515 §2.4.5) and the call goes on between
    /// the transferor and the remaining party; if the transferor has already left, the remaining party is hung up.
    /// </summary>
    private State TransferFailed(int status, string reason)
    {
        var transfer = _transfer!;
        _noAnswer?.Dispose();
        CancelTransferForks(transfer);
        transfer.Notify(status, reason, final: true);
        SwitchLog.TransferFailed(_environment.Logger, CallId, status);
        if (!transfer.TransferorGone)
        {
            return State.Answered;
        }

        (transfer.TransferorIsCaller ? Callee! : Caller).Hangup();
        return End(CallOutcome.Answered, SipStatusCodes.Ok);
    }

    private State TransferBye(CallLeg leg, SipRequest bye)
    {
        var transfer = _transfer!;
        if (!transfer.TransferorGone && ReferenceEquals(leg, transfer.Transferor))
        {
            // RFC 5589 §6: the transferor may hang up once its REFER is accepted; the transfer goes on without it.
            leg.Reply(bye, SipStatusCodes.Ok);
            transfer.TransferorGone = true;
            leg.Forget();
            return State.Transferring;
        }

        if (!ReferenceEquals(leg, transfer.TransferorIsCaller ? Callee : Caller))
        {
            return Reply(leg, bye, SipStatusCodes.CallOrTransactionDoesNotExist, State.Transferring);
        }

        leg.Reply(bye, SipStatusCodes.Ok);
        return AbandonTransfer(SipStatusCodes.Ok);
    }

    private State TransferLegLost(CallLeg leg, bool transferFork)
    {
        var transfer = _transfer!;
        if (transferFork)
        {
            leg.Cancel();
            return TransferForkFailed(leg);
        }

        if (ReferenceEquals(leg, transfer.Transferor))
        {
            transfer.TransferorGone = true;
            leg.Forget();
            return State.Transferring;
        }

        return AbandonTransfer(null);
    }

    /// <summary>The remaining party left while the target rang: nobody is left to transfer, and the call ends.</summary>
    private State AbandonTransfer(int? finalStatus)
    {
        var transfer = _transfer!;
        CancelTransferForks(transfer);
        transfer.Notify(SipStatusCodes.RequestTerminated, "Request Terminated", final: true);
        if (!transfer.TransferorGone)
        {
            transfer.Transferor.Hangup();
        }

        return End(CallOutcome.Answered, finalStatus);
    }

    private void CancelTransferForks(PendingTransfer transfer)
    {
        foreach (var fork in transfer.Forks)
        {
            if (!fork.HasFinalAnswer)
            {
                fork.Cancel();
            }
        }

        _departed.AddRange(transfer.Forks);
        _transfer = null;
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
        foreach (var leg in _callees.Concat(_withdrawn).Concat(_departed).Concat(_transfer?.Forks ?? []))
        {
            leg.Forget();
        }

        _transfer?.Transferor.Forget();
        _environment.Recorder?.End(this, Recording);

        _ = CloseBridgeAsync();
        SwitchLog.CallEnded(_environment.Logger, CallId, outcome.ToString(), Bridge?.PacketsRelayed ?? 0);
        // The record is queued before the controller forgets the call: a draining node writes it before it goes.
        _environment.Records.Write(CallFacts.Record(this, outcome, finalStatus, _environment.Time.GetUtcNow()));
        _environment.Ended(this);
        return State.Ended;
    }

    private readonly record struct PendingEvent(CallEvent Event, CallLeg? Leg, SipRequest? Request, int Status, List<CallLeg>? Legs);
}
