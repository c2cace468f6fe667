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

        /// <summary>
        /// Answered, and one side asked for an attended transfer (REFER with Replaces, RFC 3891): the other side is being
        /// moved into the call the Replaces names; the bridge still relays until it has joined there.
        /// </summary>
        Replacing,

        /// <summary>
        /// Answered, and the remaining party of another call is being re-INVITEd to take the place of the side whose dialog an
        /// attended transfer's Replaces names; the bridge still relays between the two sides until it has.
        /// </summary>
        Joining,

        /// <summary>Over: no port, timer or table entry is left.</summary>
        Ended,
    }

    /// <summary>RFC 3515 §2.4.2: a REFER the switch will act on is answered 202 Accepted.</summary>
    private const int Accepted = 202;

    /// <summary>RFC 3261 §14.2: a re-INVITE while one of ours is pending in the same dialog.</summary>
    private const int RequestPending = 491;

    private readonly Lock _gate = new();
    private readonly List<CallLeg> _callees = [];
    private readonly List<CallLeg> _withdrawn = [];
    private readonly HashSet<CallLeg> _settled = [];
    private readonly Queue<PendingEvent> _pending = [];
    private readonly List<CallLeg> _parties = [];
    private readonly List<CallLeg> _departed = [];
    private PendingTransfer? _transfer;

    // Attended transfer (RFC 3891): the transfer this call was REFERred for, the one it is joining a party for, the
    // leg it has handed to the other call, and the offer of a re-INVITE that brings a party back to this bridge.
    private AttendedTransfer? _attended;
    private AttendedTransfer? _joining;
    private HandsetLeg? _movedOut;
    private SdesOffer? _restoreOffer;
    private ITimer? _glareTimer;

    // What a decision asks of another call runs once this thread holds no call's lock, so no two calls' locks are
    // ever taken in two orders (Together takes both, always in the same order).
    [ThreadStatic]
    private static List<Action>? t_deferred;
    [ThreadStatic]
    private static int t_depth;
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
    private readonly ICallerLeg _answering;

    public Call(
        CallLeg caller, NegotiationResult callerAnswer, SdesOffer? calleeOffer, RelaySession? bridge,
        LocalMediaOptions callerMedia, LocalMediaOptions? calleeMedia, CallEnvironment environment)
    {
        Caller = caller;
        // The first leg is one the switch answers as UAS: a handset, or a carrier's trunk leg (issue 11).
        _answering = (ICallerLeg)caller;
        CallerAnswer = callerAnswer;
        _calleeOffer = calleeOffer;
        Bridge = bridge;
        _callerMedia = callerMedia;
        _calleeMedia = calleeMedia;
        _environment = environment;
        StartedAt = environment.Time.GetUtcNow();
        CallId = _answering.CallId;
        TenantId = _answering.TenantId;
        InviteKey = _answering.InboundInvite?.Key;
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
    public CallLeg Caller { get; private set; }

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
    public void Start(IEnumerable<CallLeg> callees, CallForwarding? forwarding = null) => Decided(() =>
    {
        // Starting is a decision like any event's: a leg that fails while it is offered (on this thread) waits its turn
        // instead of ending the call halfway through the offers.
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

        // In progress from now on: the portal shows it among the active calls until the final record replaces it. Queued
        // under the lock and before any event a leg raised meanwhile is decided, so a call that ends at once (a trunk
        // refused on another thread) has its final record written after this one, never overwritten by it: a clean run
        // once left such a call "in progress" for ever.
        _environment.Records.Write(CallFacts.Record(this, CallOutcome.InProgress, null, endedAt: null));
    });

    public void OnCalleeProgress(CallLeg callee, int status) => Handle(CallEvent.CalleeProgress, callee, status: status);

    public void OnCalleeAnswered(CallLeg callee) => Handle(CallEvent.CalleeAnswered, callee);

    public void OnCalleeFailed(CallLeg callee, int status) => Handle(CallEvent.CalleeFailed, callee, status: status);

    public void OnCancel(CallLeg caller, SipRequest cancel) => Handle(CallEvent.CallerCancelled, caller, cancel);

    public void OnBye(CallLeg leg, SipRequest bye) => Handle(CallEvent.Bye, leg, bye);

    public void OnReInvite(CallLeg leg, SipRequest invite) => Handle(CallEvent.ReInvite, leg, invite);

    public void OnApplicationDone(CallLeg application) => Handle(CallEvent.ApplicationDone, application);

    /// <summary>A REFER in <paramref name="leg"/>'s dialog to a target the controller has checked, with forks to its handsets.</summary>
    public void OnRefer(CallLeg leg, SipRequest refer, List<CallLeg> targetForks) => Handle(CallEvent.Refer, leg, refer, legs: targetForks);

    /// <summary>
    /// A REFER in <paramref name="leg"/>'s dialog whose Replaces names <paramref name="replaced"/>, the same device's leg
    /// in another call of the same tenant (the controller has checked both).
    /// </summary>
    public void OnReferReplaces(CallLeg leg, SipRequest refer, HandsetLeg replaced) => Handle(CallEvent.ReferReplaces, leg, refer, detail: replaced);

    /// <summary>A leg's final answer to the switch's own re-INVITE (RFC 3261 §14.1).</summary>
    public void OnPartyReInvited(CallLeg leg, int status, SdesOffer offer, NegotiationResult? media) =>
        Handle(CallEvent.ReInviteAnswered, leg, status: status, detail: new ReInviteOutcome(offer, media));

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
            lost = _joining is { } joining && joining.Remaining.UsesConnection(connectionId) ? joining.Remaining
                : !ReferenceEquals(Caller, _movedOut) && Caller.UsesConnection(connectionId) ? Caller
                : Callee is { } answered && !ReferenceEquals(answered, _movedOut) && answered.UsesConnection(connectionId) ? answered
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
    private void Handle(CallEvent happened, CallLeg? leg, SipRequest? request = null, int status = 0, List<CallLeg>? legs = null, object? detail = null) =>
        Decided(() => _pending.Enqueue(new PendingEvent(happened, leg, request, status, legs, detail)));

    /// <summary>
    /// Runs <paramref name="step"/> under the lock, then decides every event it (or anything meanwhile) queued, unless a
    /// decision on this thread is already under way: that one decides them when it gets to them. Deferred work runs once
    /// no decision is under way on this thread.
    /// </summary>
    private void Decided(Action step)
    {
        t_depth++;
        try
        {
            lock (_gate)
            {
                if (_deciding)
                {
                    step();
                    return;
                }

                _deciding = true;
                try
                {
                    step();
                    Drain();
                }
                finally
                {
                    _deciding = false;
                }
            }
        }
        finally
        {
            t_depth--;
        }

        RunDeferred();
    }

    private void Drain()
    {
        while (_pending.TryDequeue(out var next))
        {
            _state = Decide(next.Event, next.Leg, next.Request, next.Status, next.Legs, next.Detail);
        }
    }

    /// <summary>
    /// Decides with both calls' locks held, taken in the order of the calls' ids whoever asks, and then every event either
    /// call queued meanwhile: the one place a decision spans two calls (an attended transfer's hand-over of a leg).
    /// </summary>
    private static void Together(Call one, Call two, Action decide)
    {
        var (first, second) = one.Id.CompareTo(two.Id) < 0 ? (one, two) : (two, one);
        t_depth++;
        try
        {
            lock (first._gate)
            {
                lock (second._gate)
                {
                    first._deciding = second._deciding = true;
                    try
                    {
                        decide();
                        while (first._pending.Count > 0 || second._pending.Count > 0)
                        {
                            first.Drain();
                            second.Drain();
                        }
                    }
                    finally
                    {
                        first._deciding = second._deciding = false;
                    }
                }
            }
        }
        finally
        {
            t_depth--;
        }

        RunDeferred();
    }

    private static void Defer(Action action) => (t_deferred ??= []).Add(action);

    private static void RunDeferred()
    {
        while (t_depth == 0 && t_deferred is { Count: > 0 } deferred)
        {
            var next = deferred[0];
            deferred.RemoveAt(0);
            next();
        }
    }

    private State Decide(CallEvent happened, CallLeg? leg, SipRequest? request, int status, List<CallLeg>? legs, object? detail)
    {
        var fromCaller = ReferenceEquals(leg, Caller);
        var withdrawn = leg is not null && _withdrawn.Contains(leg);
        var transferFork = leg is not null && _transfer is not null && _transfer.Forks.Contains(leg);
        var joiner = leg is not null && _joining is not null && ReferenceEquals(leg, _joining.Remaining);
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
            (State.Ringing, CallEvent.Refer or CallEvent.ReferReplaces) => Reply(leg!, request!, SipStatusCodes.Forbidden, State.Ringing, "Transfer Not Allowed Now"),
            (State.Ringing, CallEvent.ReInviteAnswered) => PartyReInvited(leg!, status, (ReInviteOutcome)detail!),
            (State.Ringing, CallEvent.GlareRetry or CallEvent.JoinDone) => State.Ringing,

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
            (State.Answered, CallEvent.Announced) => StartBridge(State.Answered, afterAnnouncement: true),
            (State.Answered, CallEvent.ReferReplaces) => StartAttended(leg!, request!, (HandsetLeg)detail!, fromCaller),
            (State.Answered, CallEvent.ReInviteAnswered) => PartyReInvited(leg!, status, (ReInviteOutcome)detail!),
            (State.Answered, CallEvent.GlareRetry or CallEvent.JoinDone) => State.Answered,

            // The target's forks: a 1xx is passed on to the transferor, the first 2xx takes the transferor's place.
            (State.Transferring, CallEvent.CalleeProgress) => transferFork ? TransferRinging(status) : State.Transferring,
            (State.Transferring, CallEvent.CalleeAnswered) => transferFork ? CompleteTransfer(leg!) : HangUpLate(leg!, State.Transferring),
            (State.Transferring, CallEvent.CalleeFailed) => transferFork ? TransferForkFailed(leg!) : State.Transferring,
            (State.Transferring, CallEvent.NoAnswer) => TransferFailed(SipStatusCodes.TemporarilyUnavailable, "No Answer"),
            (State.Transferring, CallEvent.ForwardNoAnswer or CallEvent.MediaTimeout or CallEvent.ApplicationDone) => State.Transferring,
            (State.Transferring, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Transferring),
            (State.Transferring, CallEvent.Bye) => TransferBye(leg!, request!),
            (State.Transferring, CallEvent.ReInvite) => Rekey(leg!, request!, fromCaller, State.Transferring),
            (State.Transferring, CallEvent.Refer or CallEvent.ReferReplaces) => Reply(leg!, request!, SipStatusCodes.Forbidden, State.Transferring, "Transfer In Progress"),
            (State.Transferring, CallEvent.ConnectionLost) => TransferLegLost(leg!, transferFork),
            (State.Transferring, CallEvent.Announced) => StartBridge(State.Transferring, afterAnnouncement: true),
            (State.Transferring, CallEvent.ReInviteAnswered) => PartyReInvited(leg!, status, (ReInviteOutcome)detail!),
            (State.Transferring, CallEvent.GlareRetry or CallEvent.JoinDone) => State.Transferring,

            (State.Replacing, CallEvent.Announced) => StartBridge(State.Replacing, afterAnnouncement: true),
            (State.Joining, CallEvent.Announced) => StartBridge(State.Joining, afterAnnouncement: true),

            // Attended transfer, the REFER's call: its remaining party is on its way to the other call; a late fork or
            // timer changes nothing, the transferor may re-INVITE (hold) or hang up, and the other call says how it ended.
            (State.Replacing, CallEvent.CalleeProgress or CallEvent.CalleeFailed or CallEvent.NoAnswer or CallEvent.ForwardNoAnswer
                or CallEvent.MediaTimeout or CallEvent.ApplicationDone or CallEvent.GlareRetry) => State.Replacing,
            (State.Replacing, CallEvent.CalleeAnswered) => HangUpLate(leg!, State.Replacing),
            (State.Replacing, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Replacing),
            (State.Replacing, CallEvent.Bye) => ReplacingBye(leg!, request),
            (State.Replacing, CallEvent.ReInvite) => Rekey(leg!, request!, fromCaller, State.Replacing),
            (State.Replacing, CallEvent.Refer or CallEvent.ReferReplaces) => Reply(leg!, request!, SipStatusCodes.Forbidden, State.Replacing, "Transfer In Progress"),
            (State.Replacing, CallEvent.ConnectionLost) => ReplacingBye(leg!, null),
            (State.Replacing, CallEvent.ReInviteAnswered) => PartyReInvited(leg!, status, (ReInviteOutcome)detail!),
            (State.Replacing, CallEvent.JoinDone) => Replaced((JoinOutcome)detail!),

            // Attended transfer, the replaced call: the joining party's answer to our re-INVITE decides (RFC 3261 §14.1:
            // 491 is offered again once); its own re-INVITE meanwhile is glare (§14.2: 491); a departure ends the join.
            (State.Joining, CallEvent.CalleeProgress or CallEvent.CalleeFailed or CallEvent.NoAnswer or CallEvent.ForwardNoAnswer
                or CallEvent.MediaTimeout or CallEvent.ApplicationDone or CallEvent.JoinDone) => State.Joining,
            (State.Joining, CallEvent.CalleeAnswered) => HangUpLate(leg!, State.Joining),
            (State.Joining, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Joining),
            (State.Joining, CallEvent.Bye) => JoiningBye(leg!, request),
            (State.Joining, CallEvent.ReInvite) => joiner
                ? Refuse(leg!, request!, RequestPending, "Request Pending", State.Joining)
                : Rekey(leg!, request!, fromCaller, State.Joining),
            (State.Joining, CallEvent.Refer or CallEvent.ReferReplaces) => Reply(leg!, request!, SipStatusCodes.Forbidden, State.Joining, "Transfer In Progress"),
            (State.Joining, CallEvent.ConnectionLost) => JoiningBye(leg!, null),
            (State.Joining, CallEvent.ReInviteAnswered) => joiner ? JoinAnswered(status, (ReInviteOutcome)detail!) : PartyReInvited(leg!, status, (ReInviteOutcome)detail!),
            (State.Joining, CallEvent.GlareRetry) => RetryJoin(),

            // CANCEL racing the 200: the callee answered after the call ended; its leg ACKed, now BYE (§15).
            (State.Ended, CallEvent.CalleeAnswered) => HangUpLate(leg!, State.Ended),
            (State.Ended, CallEvent.CallerCancelled) => Reply(leg!, request!, SipStatusCodes.Ok, State.Ended),
            (State.Ended, CallEvent.Bye) => Reply(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, State.Ended),
            (State.Ended, CallEvent.ReInvite) => Refuse(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, null, State.Ended),
            (State.Ended, CallEvent.Refer or CallEvent.ReferReplaces) => Reply(leg!, request!, SipStatusCodes.CallOrTransactionDoesNotExist, State.Ended),
            (State.Ended, CallEvent.ReInviteAnswered) => PartyReInvited(leg!, status, (ReInviteOutcome)detail!),
            (State.Ended, CallEvent.JoinDone) => JoinEndedLate((JoinOutcome)detail!),
            (State.Ended, CallEvent.GlareRetry) => State.Ended,
            (State.Ended, CallEvent.CalleeProgress or CallEvent.CalleeFailed or CallEvent.NoAnswer or CallEvent.ForwardNoAnswer or CallEvent.ConnectionLost or CallEvent.MediaTimeout or CallEvent.ApplicationDone or CallEvent.Announced) => State.Ended,
        };
#pragma warning restore CS8524
    }

    private State RingCaller(int status)
    {
        if (!_ringing && status is 180 or 183)
        {
            _ringing = true;
            _answering.Ring();
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
        _answering.Answer(CallerAnswer);
        SwitchLog.CallAnswered(_environment.Logger, CallId, Caller.Party, callee.Party);
        _environment.Records.Write(CallFacts.Record(this, CallOutcome.InProgress, null, endedAt: null));
        return State.Answered;
    }

    /// <summary>The parties are bridged: media flows between them, is watched, and is recorded where the policy says.</summary>
    private State StartBridge(State state, bool afterAnnouncement = false)
    {
        // What the parties said over the recording notice is not relayed once they are bridged.
        Bridge!.Start(RelayLeg.FromNegotiated(CallerAnswer.Media!), RelayLeg.FromNegotiated(Callee!.Media!.Media!), dropEarlier: afterAnnouncement);
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

        // Issue 11: a carrier's answer that the number does not exist (RFC 3261 §21.4.5 404, §21.4.23 484, §21.6.4 604)
        // reaches the caller as it is; "temporarily unavailable" would have them try again.
        if (_callees is [Trunks.TrunkLeg { FinalStatus: 404 or 484 or 604 } unknown])
        {
            _answering.Refuse(unknown.FinalStatus!.Value);
            return End(CallOutcome.NotFound, unknown.FinalStatus.Value);
        }

        // Issue 11: a carrier whose host does not resolve (RFC 3263) is named as the reason; the audit says which host.
        if (_callees is [Trunks.TrunkLeg { FinalStatus: SipStatusCodes.ServiceUnavailable, Unresolved: true }])
        {
            _answering.Refuse(SipStatusCodes.ServiceUnavailable, "Carrier Unreachable");
            return End(CallOutcome.Unavailable, SipStatusCodes.ServiceUnavailable);
        }

        var status = busy ? SipStatusCodes.BusyHere : SipStatusCodes.TemporarilyUnavailable;
        _answering.Refuse(status);
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
                _answering.Refuse(SipStatusCodes.LoopDetected, "Loop Detected");
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
        _answering.Refuse(SipStatusCodes.RequestTerminated);
        return End(CallOutcome.Cancelled, SipStatusCodes.RequestTerminated);
    }

    private State GiveUp()
    {
        CancelCallees();
        _answering.Refuse(SipStatusCodes.TemporarilyUnavailable, "No Answer");
        return End(CallOutcome.NoAnswer, SipStatusCodes.TemporarilyUnavailable);
    }

    private State EarlyBye(CallLeg leg, SipRequest bye, bool fromCaller)
    {
        leg.Reply(bye, SipStatusCodes.Ok);
        if (fromCaller)
        {
            CancelCallees();
            _answering.Refuse(SipStatusCodes.RequestTerminated);
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
        var answer = leg.AnswerOffer(offer, local);
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

    /// <summary>
    /// RFC 3515 §2.4.2, RFC 3891, RFC 5589 §7: an attended transfer. The REFER is accepted (202) and its subscription told
    /// "100 Trying"; the remaining party of this call will be moved into the call whose dialog the Replaces names, in
    /// the transferor's place there (<see cref="Join"/>, once this thread holds no call's lock). Until it has joined,
    /// this call's bridge relays as before.
    /// </summary>
    private State StartAttended(CallLeg leg, SipRequest refer, HandsetLeg replaced, bool fromCaller)
    {
        if (leg is not HandsetLeg transferor || (!fromCaller && !ReferenceEquals(leg, Callee)))
        {
            return Reply(leg, refer, SipStatusCodes.CallOrTransactionDoesNotExist, State.Answered);
        }

        if (Bridge is null || (fromCaller ? Callee : Caller) is not HandsetLeg remaining || replaced.Call is not { } other || ReferenceEquals(other, this))
        {
            // An application's call (an announcement, a mailbox) has no party to move; a Replaces of this very call, nothing to join.
            return Reply(leg, refer, SipStatusCodes.Forbidden, State.Answered, "Transfer Not Allowed");
        }

        var sequence = refer.TryGetCSeq(out var cseq) ? cseq.Number : 0;
        var transfer = new AttendedTransfer(this, transferor, remaining, sequence, other, replaced);
        _attended = transfer;
        leg.Reply(refer, Accepted, "Accepted");
        transfer.Notify(SipStatusCodes.Trying, "Trying", final: false);
        // For the log only: the target is the other party of the replaced call (read without its lock).
        var target = ReferenceEquals(other.Caller, replaced) ? other.Callee?.Party ?? "" : other.Caller.Party;
        SwitchLog.TransferStarted(_environment.Logger, CallId, leg.Party, target, 1);
        Defer(() => Join(transfer));
        return State.Replacing;
    }

    /// <summary>
    /// The hand-over, with both calls' locks held: when the replaced call is still answered with the transferor on it,
    /// the remaining party's leg becomes that call's and is re-INVITEd (RFC 3261 §14.1) to the transferor's side of its
    /// bridge: that side's port, the remaining party's own SDP origin one version on (RFC 3264 §8), a fresh key (RFC 4568
    /// §7.1.4). Otherwise the transfer fails with 481, as a Replaces naming no dialog does (RFC 3891 §3).
    /// </summary>
    private static void Join(AttendedTransfer transfer)
    {
        var referred = transfer.Referred;
        var replaced = transfer.Replaced;
        Together(referred, replaced, () =>
        {
            if (referred._state != State.Replacing || !ReferenceEquals(referred._attended, transfer))
            {
                return;
            }

            var sideA = ReferenceEquals(replaced.Caller, transfer.ReplacedLeg);
            if (replaced._state != State.Answered || replaced.Bridge is null || (!sideA && !ReferenceEquals(replaced.Callee, transfer.ReplacedLeg))
                || (sideA ? replaced._callerMedia : replaced._calleeMedia) is not { } side)
            {
                referred._pending.Enqueue(new PendingEvent(
                    CallEvent.JoinDone, null, null, 0, null, new JoinOutcome(transfer, SipStatusCodes.CallOrTransactionDoesNotExist, "Call/Transaction Does Not Exist", true)));
                return;
            }

            var origin = ReferenceEquals(referred.Caller, transfer.Remaining) ? referred._callerMedia : referred._calleeMedia!;
            transfer.Local = side with { SessionId = origin.SessionId, SessionVersion = origin.SessionVersion + 1 };
            transfer.Offer = SdesOfferAnswer.CreateOffer(transfer.Local);
            referred._movedOut = transfer.Remaining;
            transfer.Remaining.Call = replaced;
            replaced._joining = transfer;
            replaced._state = State.Joining;
            transfer.Remaining.ReInvite(transfer.Offer);
        });
    }

    /// <summary>
    /// The joining party answered our re-INVITE. A 2xx with acceptable media takes the transferor's side of this bridge
    /// (that side's relay leg is replaced, the other party's is untouched) and the transferor's leg here gets BYE;
    /// a 491 is offered again after 2.1 to 4 s (RFC 3261 §14.1); anything else gives the party back to its call.
    /// </summary>
    private State JoinAnswered(int status, ReInviteOutcome outcome)
    {
        var transfer = _joining!;
        if (status == RequestPending && !transfer.Retried)
        {
            transfer.Retried = true;
            _glareTimer = _environment.Time.CreateTimer(
                static s => ((Call)s!).Handle(CallEvent.GlareRetry, null), this, TimeSpan.FromMilliseconds(Random.Shared.Next(2100, 4001)), Timeout.InfiniteTimeSpan);
            return State.Joining;
        }

        var succeeded = status is >= 200 and < 300;
        if (!succeeded || outcome.Media is not { IsAcceptable: true } media)
        {
            SwitchLog.TransferFailed(_environment.Logger, CallId, status);
            return GiveBack(transfer, succeeded ? SipStatusCodes.NotAcceptableHere : status, succeeded ? "Not Acceptable Here" : "Transfer Failed", mediaMoved: succeeded);
        }

        var joined = RelayLeg.FromNegotiated(media.Media!);
        if (ReferenceEquals(Caller, transfer.ReplacedLeg))
        {
            Bridge!.ReplaceA(joined);
            _callerMedia = transfer.Local!;
            Caller = transfer.Remaining;
        }
        else
        {
            Bridge!.ReplaceB(joined);
            _calleeMedia = transfer.Local!;
            Callee = transfer.Remaining;
        }

        transfer.Remaining.Renegotiated(media);
        _parties.Add(transfer.Remaining);
        _departed.Add(transfer.ReplacedLeg);
        _joining = null;
        if (!transfer.ReplacedLegGone)
        {
            transfer.ReplacedLeg.Hangup();
        }

        var referred = transfer.Referred;
        Defer(() => referred.Handle(CallEvent.JoinDone, null, detail: new JoinOutcome(transfer, SipStatusCodes.Ok, "OK", false)));
        SwitchLog.TransferCompleted(_environment.Logger, CallId, transfer.Transferor.Party, transfer.Remaining.Party, (ReferenceEquals(Caller, transfer.Remaining) ? Callee! : Caller).Party);
        _environment.Records.Write(CallFacts.Record(this, CallOutcome.InProgress, null, endedAt: null));
        return State.Answered;
    }

    private State RetryJoin()
    {
        if (_joining is { } transfer)
        {
            transfer.Remaining.ReInvite(transfer.Offer!);
        }

        return State.Joining;
    }

    /// <summary>
    /// The join will not happen: the party goes back to its own call, which tells the transferor (NOTIFY) and brings its
    /// media back when it had moved. This call goes on between its two parties, or ends if the transferor left it.
    /// </summary>
    private State GiveBack(AttendedTransfer transfer, int status, string reason, bool mediaMoved)
    {
        _joining = null;
        transfer.Remaining.Call = transfer.Referred;
        var referred = transfer.Referred;
        Defer(() => referred.Handle(CallEvent.JoinDone, null, detail: new JoinOutcome(transfer, status, reason, true) { MediaMoved = mediaMoved }));
        if (!transfer.ReplacedLegGone)
        {
            return State.Answered;
        }

        (ReferenceEquals(Caller, transfer.ReplacedLeg) ? Callee! : Caller).Hangup();
        return End(CallOutcome.Answered, SipStatusCodes.Ok);
    }

    /// <summary>A BYE (or, with no request, a lost connection) in the replaced call while a party joins it.</summary>
    private State JoiningBye(CallLeg leg, SipRequest? bye)
    {
        var transfer = _joining!;
        var target = ReferenceEquals(Caller, transfer.ReplacedLeg) ? Callee : Caller;
        if (!ReferenceEquals(leg, transfer.Remaining) && !ReferenceEquals(leg, transfer.ReplacedLeg) && !ReferenceEquals(leg, target))
        {
            return bye is null ? State.Joining : Reply(leg, bye, SipStatusCodes.CallOrTransactionDoesNotExist, State.Joining);
        }

        if (bye is not null)
        {
            leg.Reply(bye, SipStatusCodes.Ok);
        }

        if (ReferenceEquals(leg, transfer.ReplacedLeg))
        {
            // RFC 5589 §7: the transferor may hang up its calls once its REFER is accepted; the join goes on without it.
            transfer.ReplacedLegGone = true;
            leg.Forget();
            return State.Joining;
        }

        if (ReferenceEquals(leg, transfer.Remaining))
        {
            // The party that was to join hung up: its call ends (told by JoinDone); this one goes on as it was.
            _joining = null;
            leg.Forget();
            var referred = transfer.Referred;
            Defer(() => referred.Handle(CallEvent.JoinDone, null, detail: new JoinOutcome(transfer, SipStatusCodes.RequestTerminated, "Request Terminated", false)));
            if (!transfer.ReplacedLegGone)
            {
                return State.Answered;
            }

            target!.Hangup();
            return End(CallOutcome.Answered, SipStatusCodes.Ok);
        }

        // The target hung up: nobody is left to join. The party goes back; the transferor's leg here is hung up.
        SwitchLog.TransferFailed(_environment.Logger, CallId, SipStatusCodes.CallOrTransactionDoesNotExist);
        _joining = null;
        transfer.Remaining.Call = transfer.Referred;
        var back = transfer.Referred;
        Defer(() => back.Handle(CallEvent.JoinDone, null, detail: new JoinOutcome(transfer, SipStatusCodes.CallOrTransactionDoesNotExist, "Call/Transaction Does Not Exist", true)));
        if (!transfer.ReplacedLegGone)
        {
            transfer.ReplacedLeg.Hangup();
        }

        return End(CallOutcome.Answered, bye is null ? null : SipStatusCodes.Ok);
    }

    /// <summary>A BYE (or, with no request, a lost connection) in the REFER's call while its remaining party is away.</summary>
    private State ReplacingBye(CallLeg leg, SipRequest? bye)
    {
        var transfer = _attended!;
        if (ReferenceEquals(leg, transfer.Transferor))
        {
            // RFC 5589 §7: the transferor may hang up once its REFER is accepted; the transfer goes on without it.
            if (bye is not null)
            {
                leg.Reply(bye, SipStatusCodes.Ok);
            }

            transfer.TransferorGone = true;
            leg.Forget();
            return State.Replacing;
        }

        if (!ReferenceEquals(leg, transfer.Remaining))
        {
            return bye is null ? State.Replacing : Reply(leg, bye, SipStatusCodes.CallOrTransactionDoesNotExist, State.Replacing);
        }

        // The remaining party hung up before it joined (its leg had not moved yet, or came back): the transfer is over.
        if (bye is not null)
        {
            leg.Reply(bye, SipStatusCodes.Ok);
        }

        _attended = null;
        _movedOut = null;
        transfer.Notify(SipStatusCodes.RequestTerminated, "Request Terminated", final: true);
        if (!transfer.TransferorGone)
        {
            transfer.Transferor.Hangup();
        }

        return End(CallOutcome.Answered, bye is null ? null : SipStatusCodes.Ok);
    }

    /// <summary>
    /// The replaced call says how the join ended. Joined: the subscription ends with "200 OK" (RFC 3515 §2.4.5), the
    /// transferor's leg here gets BYE and this call ends, its bridge closed; the remaining party's leg and dialog live on
    /// in the other call. Not joined: the NOTIFY carries the failure and the call goes on as it was.
    /// </summary>
    private State Replaced(JoinOutcome outcome)
    {
        var transfer = outcome.Transfer;
        if (!ReferenceEquals(_attended, transfer))
        {
            return State.Replacing;
        }

        _attended = null;
        if (outcome.Joined)
        {
            transfer.Notify(SipStatusCodes.Ok, "OK", final: true);
            if (!transfer.TransferorGone)
            {
                transfer.Transferor.Hangup();
            }

            return End(CallOutcome.Answered, SipStatusCodes.Ok);
        }

        _movedOut = null;
        transfer.Notify(outcome.Status, outcome.Reason, final: true);
        if (!outcome.RemainingBack || transfer.TransferorGone)
        {
            // Nobody is left to talk to: whoever is still here is hung up.
            (outcome.RemainingBack ? transfer.Remaining : transfer.TransferorGone ? null : transfer.Transferor)?.Hangup();
            return End(CallOutcome.Answered, SipStatusCodes.Ok);
        }

        if (outcome.MediaMoved)
        {
            Restore(transfer.Remaining);
        }

        return State.Answered;
    }

    /// <summary>A join's outcome that reaches a call already over: a party given back to it is hung up.</summary>
    private State JoinEndedLate(JoinOutcome outcome)
    {
        if (!outcome.Joined && outcome.RemainingBack && ReferenceEquals(outcome.Transfer.Remaining.Call, this))
        {
            outcome.Transfer.Remaining.Hangup();
        }

        return State.Ended;
    }

    /// <summary>
    /// A leg answered the switch's own re-INVITE outside a join: the answer to our offer that brings it back to this
    /// bridge is applied to its side; a 2xx to the other call's offer, which arrived after the join failed, means its media
    /// went to a bridge it is not on, so it is offered this one again. An answer reaching a call the leg has left goes on
    /// to the leg's call.
    /// </summary>
    private State PartyReInvited(CallLeg leg, int status, ReInviteOutcome outcome)
    {
        if (leg.Call is { } owner && !ReferenceEquals(owner, this))
        {
            Defer(() => owner.OnPartyReInvited(leg, status, outcome.Offer, outcome.Media));
            return _state;
        }

        var side = ReferenceEquals(leg, Caller) ? true : ReferenceEquals(leg, Callee) ? false : (bool?)null;
        if (_state == State.Ended || side is null || Bridge is null || leg is not HandsetLeg handset)
        {
            return _state;
        }

        if (ReferenceEquals(outcome.Offer, _restoreOffer))
        {
            _restoreOffer = null;
            if (status is >= 200 and < 300 && outcome.Media is { IsAcceptable: true } media)
            {
                var back = RelayLeg.FromNegotiated(media.Media!);
                if (side.Value)
                {
                    Bridge.ReplaceA(back);
                }
                else
                {
                    Bridge.ReplaceB(back);
                }

                handset.Renegotiated(media);
            }

            return _state;
        }

        if (status is >= 200 and < 300)
        {
            Restore(handset);
        }

        return _state;
    }

    /// <summary>Offers <paramref name="party"/> its side of this bridge again, with a fresh key and a later SDP version (RFC 3264 §8).</summary>
    private void Restore(HandsetLeg party)
    {
        var caller = ReferenceEquals(party, Caller);
        var local = (caller ? _callerMedia : _calleeMedia)!;
        local = local with { SessionVersion = local.SessionVersion + 2 };
        if (caller)
        {
            _callerMedia = local;
        }
        else
        {
            _calleeMedia = local;
        }

        _restoreOffer = SdesOfferAnswer.CreateOffer(local);
        party.ReInvite(_restoreOffer);
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
        _glareTimer?.Dispose();

        // A party an attended transfer moved to another call is that call's now: its dialog stays.
        foreach (var leg in _callees.Concat(_withdrawn).Concat(_departed).Concat(_transfer?.Forks ?? []).Prepend(Caller))
        {
            if (!ReferenceEquals(leg, _movedOut))
            {
                leg.Forget();
            }
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

    private readonly record struct PendingEvent(CallEvent Event, CallLeg? Leg, SipRequest? Request, int Status, List<CallLeg>? Legs, object? Detail);
}
