using System.Security.Cryptography;
using System.Text;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Calls.Forwarding;
using HostedPbx.Switch.Calls.Transfer;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Calls.Voicemail;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Dialogs;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// The B2BUA's router between extensions of one tenant. It admits new INVITEs (identity, routing, limits) and makes
/// their calls, and it hands each in-dialog request to the leg whose dialog it names (Call-ID and both tags, RFC 3261
/// §12.2.2) only when it comes from that leg's connection or device; anything else is answered 481 and audited.
/// It decides nothing about a call once made: the <see cref="Call"/> does.
/// </summary>
internal sealed class CallController
{
    private readonly Lock _gate = new();
    private readonly HashSet<Call> _calls = [];
    private readonly Dictionary<TransactionKey, CallLeg> _invites = [];
    private readonly TransactionTable _transactions;
    private readonly SipTimerScheduler _scheduler;
    private readonly SipTimers _timers;
    private readonly ConnectionTable _connections;
    private readonly BindingTable _bindings;
    private readonly MediaRelay _relay;
    private readonly PortPool _ports;
    private readonly PromptLibrary _prompts;
    private readonly SwitchAudit _audit;
    private readonly TimeProvider _time;
    private readonly CallLimits _limits;
    private readonly ILogger _logger;
    private readonly LegSignalling _sip;
    private readonly CallEnvironment _environment;
    private readonly PstnGate? _pstn;
    private readonly TrunkServices? _trunks;

    public CallController(
        TransactionTable transactions, SipTimerScheduler scheduler, SipTimers timers, ConnectionTable connections, BindingTable bindings,
        MediaRelay relay, PortPool ports, PromptLibrary prompts, CallRecordStore records, SwitchAudit audit, TimeProvider time, CallLimits limits, ILogger logger,
        PstnGate? pstn = null, Mailboxes? mailboxes = null, TrunkServices? trunks = null)
    {
        _pstn = pstn;
        if (pstn is not null)
        {
            // The toll-fraud guard counts this node's outbound calls in progress and the minutes they have run.
            pstn.ActiveCalls = () => ActiveCalls;
        }

        _trunks = trunks;
        _ports = ports;
        _prompts = prompts;
        _transactions = transactions;
        _scheduler = scheduler;
        _timers = timers;
        _connections = connections;
        _bindings = bindings;
        _relay = relay;
        _audit = audit;
        _time = time;
        _limits = limits;
        _logger = logger;
        _sip = new LegSignalling(transactions, scheduler, timers, Dialogs, limits.SentBy);
        _environment = new CallEnvironment(limits, records, time, logger, Forget, mailboxes);
    }

    /// <summary>Records the calls whose policy says so (issue 10), announcing it with the controller's prompts; none when the switch has no master key.</summary>
    public Recording.CallRecorder? Recorder
    {
        get => _environment.Recorder;
        init
        {
            _environment = _environment with { Recorder = value };
            value?.Prompts ??= _prompts;
        }
    }

    /// <summary>A graceful stop of this node (issue 14): while it drains, new INVITEs are refused.</summary>
    public Switch.Nodes.NodeDrain? Drain { get; init; }

    /// <summary>Where callees registered on other switch nodes are (issue 14); none on a switch alone.</summary>
    public Nodes.NodeRoutes? NodeRoutes { get; init; }

    /// <summary>What a leg needs to talk SIP here; a carrier's call (issue 11) makes its trunk leg with it.</summary>
    public LegSignalling Signalling => _sip;

    /// <summary>Every dialog of every leg, by Call-ID and both tags.</summary>
    public DialogTable<CallLeg> Dialogs { get; } = new();

    public IReadOnlyList<Call> ActiveCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>A new INVITE (no To tag): admit it and start its call, or refuse it with a status that says why.</summary>
    public void OnInvite(SipConnection connection, SipRequest invite, DeviceDirectory directory)
    {
        if (invite.ToTag.Length > 0)
        {
            OnInDialog(connection, invite, directory);
            return;
        }

        var transaction = new ServerInviteTransaction(invite, connection, new TransactionCleanup(_transactions), _scheduler, _timers);
        if (!_transactions.TryAddServer(transaction))
        {
            return;
        }

        transaction.Start();
        var tag = SipRequests.NewTag();
        if (Drain is { IsDraining: true })
        {
            // RFC 3261 §21.5.4: 503 with Retry-After; by then the handset has re-registered on another node.
            SwitchLog.InviteRefusedDraining(_logger, invite.CallId);
            transaction.SendResponse(SipResponses.Create(invite, SipStatusCodes.ServiceUnavailable, tag,
                [("Retry-After", Switch.Nodes.NodeDrain.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))], reason: Switch.Nodes.NodeDrain.ReasonPhrase));
            return;
        }

        // Issue 14: an INVITE from another switch node is for one of our handsets; the node's word for the caller is
        // taken only because the connection is a node's, and checked against our directory.
        Nodes.NodeHop? hop = null;
        string? callerUser;
        if (connection.IsPeer)
        {
            hop = Nodes.NodeAssertion.Read(connection, invite, directory, out var asserted, out var refusal);
            if (hop is null)
            {
                var node = connection.Peer!.Current;
                _audit.Denied("sip.invite", refusal!, null, node.Name, node.PeerId.ToString(), connection.Remote.Address, "switch_node", node.Name);
                Fail(transaction, SipStatusCodes.Forbidden, tag);
                return;
            }

            callerUser = asserted;
        }
        else if (Nodes.NodeAssertion.IsPresent(invite))
        {
            var handset = connection.Device;
            _audit.Denied("sip.invite", $"INVITE with the node-only header {Nodes.NodeAssertion.TenantHeader} from device {handset.Mac}, which is not a switch node",
                handset.TenantId, handset.Mac, handset.DeviceId.ToString(), connection.Remote.Address, "device", handset.DeviceId.ToString());
            Fail(transaction, SipStatusCodes.Forbidden, tag);
            return;
        }
        else
        {
            callerUser = UserOf(invite.TryGetFrom(out var from) ? from.Uri : default);
        }

        var tenantId = hop?.TenantId ?? connection.Device.TenantId;
        var device = hop is null ? connection.Device : null;

        // DESIGN "Identity of a handset" step 5: a handset calls only as one of its own lines (read afresh on every INVITE).
        if (callerUser is null || (device is not null && !device.Extensions.Contains(callerUser)))
        {
            if (device is not null)
            {
                _audit.Denied("sip.invite", $"INVITE from '{PeerText.Bound(callerUser)}' which is not a line of device {device.Mac}", device.TenantId, device.Mac,
                    device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
            }

            Fail(transaction, SipStatusCodes.Forbidden, tag);
            return;
        }

        // RFC 3261 §8.1.1.8: the INVITE must say where the caller's dialog goes (its Contact).
        if (!HandsetLeg.HasContact(invite))
        {
            Fail(transaction, SipStatusCodes.BadRequest, tag, "Missing Contact");
            return;
        }

        // Routing stays inside the caller's tenant: the same number in another tenant is another extension.
        var calleeUser = UserOf(invite.RequestUri);
        Prompt? announcement = null;
        CallForwarding? forwarding = null;
        List<CallLeg>? pstnForks = null;

        // The tenant's access number (*97) opens the caller's own mailbox (issue 9 item 4).
        var retrieval = false;
        if (device is not null && calleeUser is not null && _environment.Mailboxes is not null && directory.IsMailboxAccess(tenantId, calleeUser))
        {
            // Nothing to route: the mailbox is the caller's own.
            retrieval = true;
        }
        else if (calleeUser is not null && directory.TryFindExtension(tenantId, calleeUser, out var dialled))
        {
            // The callee's "forward always" is followed before anything rings; a loop of forwards is refused.
            forwarding = new CallForwarding(directory, tenantId, number => Forks(callerUser, tenantId, number, localOnly: hop is not null));
            if (!forwarding.TryRoute(dialled))
            {
                Fail(transaction, SipStatusCodes.LoopDetected, tag, "Loop Detected");
                return;
            }

            calleeUser = forwarding.Current!.Number;
        }
        else if (device is not null && calleeUser is not null && _pstn?.Admit(device.TenantId, calleeUser, callerUser, connection.Remote.Address) is { Kind: not PstnAdmissionKind.NotPstn } pstn)
        {
            // A number for the telephone network (issue 11): refused by a toll-fraud guard with its reason, or routed to a trunk leg.
            (TrunkLeg? Leg, int Status, string Reason) outbound = pstn.Kind == PstnAdmissionKind.Refused ? (null, pstn.Status, pstn.Reason)
                : _trunks is null ? (null, SipStatusCodes.ServiceUnavailable, "No trunk available")
                : _trunks.CreateLeg(pstn, device.TenantId, directory.TryFindExtension(device.TenantId, callerUser, out var own) ? own.Id : null, _sip);
            if (outbound.Leg is null)
            {
                Fail(transaction, outbound.Status, tag, outbound.Reason);
                return;
            }

            pstnForks = [outbound.Leg];
            calleeUser = pstn.Destination!.Number;
        }
        else
        {
            // "The number you dialled is not in service" instead of a bare 404, when the tenant asks for it.
            if (calleeUser is null || !directory.AnnouncesUnknownNumbers(tenantId) || !_prompts.TryGet(PromptLibrary.NotInService, out announcement))
            {
                Fail(transaction, SipStatusCodes.NotFound, tag);
                return;
            }
        }

        var forks = pstnForks ?? (announcement is not null || retrieval ? [] : Forks(callerUser, tenantId, calleeUser, localOnly: hop is not null));
        DirectoryExtension? mailbox = null;
        if (forks.Count == 0 && announcement is null && !retrieval)
        {
            // No handset of the callee is registered: its "unavailable" forward, decided where every forward is; when
            // there is none, the mailbox answers if the extension has one (issue 9).
            var decision = forwarding?.Decide(ForwardReason.Unavailable) ?? ForwardDecision.None;
            switch (decision.Action == ForwardAction.Forward ? forwarding!.Next(decision.Target!, out forks) : ForwardResult.Nowhere)
            {
                case ForwardResult.Loop:
                    Fail(transaction, SipStatusCodes.LoopDetected, tag, "Loop Detected");
                    return;
                case ForwardResult.Nowhere when _environment.Mailboxes is not null && forwarding?.Current is { VoicemailEnabled: true } owner:
                    mailbox = owner;
                    break;
                case ForwardResult.Nowhere:
                    Fail(transaction, SipStatusCodes.TemporarilyUnavailable, tag);
                    return;
                case ForwardResult.Forwarded:
                    calleeUser = forwarding!.Current!.Number;
                    break;
            }
        }

        // The offer's own words never go back in the reason phrase (issue 12, "Bad input"); the log gets them bounded.
        if (!SdpReader.TryRead(invite.Body, out var offer, out var sdpError))
        {
            SwitchLog.OfferRefused(_logger, invite.CallId, PeerText.Bound(sdpError));
            Fail(transaction, SipStatusCodes.NotAcceptableHere, tag, "No usable SDP offer");
            return;
        }

        var caller = HandsetLeg.Inbound(callerUser, connection, transaction, _sip, hop);
        var suites = Suites(directory.SuitesOf(tenantId));
        Call? call;
        List<CallLeg> callees;
        lock (_gate)
        {
            if (Admit(caller, directory.CallLimitOf(tenantId)) is { } refusal)
            {
                caller.Refuse(refusal.Status, refusal.Reason);
                return;
            }

            // Ports only now, once every check has passed; the call gives them back whenever and however it ends.
            (call, callees) = retrieval ? Retrieve(caller, directory, offer, suites, invite.CallId)
                : mailbox is not null ? Deposit(caller, mailbox, offer, suites, invite.CallId)
                : announcement is null
                ? Bridge(caller, offer, suites, forks, invite.CallId)
                : Announce(caller, PeerText.Bound(calleeUser), offer, suites, announcement, invite.CallId);
            if (call is null)
            {
                return;
            }

            _calls.Add(call);
            _invites[transaction.Key] = caller;
        }

        SwitchLog.CallStarted(_logger, invite.CallId, callerUser, calleeUser, forks.Count);
        call.Start(callees, forwarding);
    }

    /// <summary>
    /// A carrier's call to one of the tenant's numbers (issue 11), admitted by the trunks' own checks: the first leg is
    /// the carrier's trunk leg, and the number's extension rings as for any call (its forwards, its mailbox when nobody
    /// takes it, the tenant's call limit, and per carrier the same bound on ringing calls as per device).
    /// </summary>
    public void OnTrunkInvite(TrunkLeg caller, string extension, SessionDescription offer, DeviceDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var tenantId = caller.TenantId;
        if (!directory.TryFindExtension(tenantId, extension, out var dialled))
        {
            caller.Refuse(SipStatusCodes.NotFound, Trunks.InboundAdmission.NotAssigned);
            return;
        }

        var forwarding = new CallForwarding(directory, tenantId, number => Forks(caller.Party, tenantId, number));
        if (!forwarding.TryRoute(dialled))
        {
            caller.Refuse(SipStatusCodes.LoopDetected, "Loop Detected");
            return;
        }

        var forks = Forks(caller.Party, tenantId, forwarding.Current!.Number);
        DirectoryExtension? mailbox = null;
        if (forks.Count == 0)
        {
            var decision = forwarding.Decide(ForwardReason.Unavailable);
            switch (decision.Action == ForwardAction.Forward ? forwarding.Next(decision.Target!, out forks) : ForwardResult.Nowhere)
            {
                case ForwardResult.Loop:
                    caller.Refuse(SipStatusCodes.LoopDetected, "Loop Detected");
                    return;
                case ForwardResult.Nowhere when _environment.Mailboxes is not null && forwarding.Current is { VoicemailEnabled: true } owner:
                    mailbox = owner;
                    break;
                case ForwardResult.Nowhere:
                    caller.Refuse(SipStatusCodes.TemporarilyUnavailable);
                    return;
                case ForwardResult.Forwarded:
                    break;
            }
        }

        var suites = Suites(directory.SuitesOf(tenantId));
        Call? call;
        List<CallLeg> callees;
        lock (_gate)
        {
            if (AdmitCarrier(caller, directory.CallLimitOf(tenantId)) is { } refusal)
            {
                caller.Refuse(refusal.Status, refusal.Reason);
                return;
            }

            (call, callees) = mailbox is not null ? Deposit(caller, mailbox, offer, suites, caller.CallId) : Bridge(caller, offer, suites, forks, caller.CallId);
            if (call is null)
            {
                return;
            }

            _calls.Add(call);
            _invites[caller.InboundInvite!.Key] = caller;
        }

        SwitchLog.CallStarted(_logger, caller.CallId, caller.Party, forwarding.Current!.Number, forks.Count);
        call.Start(callees, forwarding);
    }

    /// <summary>
    /// RFC 3261 §9.2: a CANCEL matches the INVITE server transaction it names, and only the caller that sent that INVITE
    /// may cancel it.
    /// </summary>
    public void OnCancel(SipConnection connection, SipRequest cancel)
    {
        CallLeg? caller = null;
        if (TransactionKey.TryCreateServerKey(cancel, out var key))
        {
            lock (_gate)
            {
                _invites.TryGetValue(key.ForCancelledInvite(), out caller);
            }
        }

        if (caller is null || !Accepts(caller, connection, cancel))
        {
            Reply(connection, cancel, SipStatusCodes.CallOrTransactionDoesNotExist);
            return;
        }

        caller.Call!.OnCancel(caller, cancel);
    }

    /// <summary>
    /// A request inside a dialog (BYE, re-INVITE, ACK, INFO...): found by Call-ID and both tags (RFC 3261 §12.2.2), and
    /// accepted only from the connection, or after a reconnect the device, of the leg the dialog belongs to.
    /// </summary>
    public void OnInDialog(SipConnection connection, SipRequest request, DeviceDirectory directory)
    {
        var isAck = request.Method == SipMethod.Ack;
        if (!Dialogs.TryFindForRequest(request, out var dialog, out var leg) || !Accepts(leg!, connection, request))
        {
            // RFC 3261 §12.2.2: no such dialog: 481. An ACK is never answered.
            if (!isAck)
            {
                Reply(connection, request, SipStatusCodes.CallOrTransactionDoesNotExist);
            }

            return;
        }

        var call = leg!.Call!;
        var accepted = call.Accepts(dialog!, request);

        if (isAck)
        {
            // The ACK of a 2xx (ours to a caller, or to a re-INVITE): nothing is retransmitted over TLS.
            return;
        }

        if (!accepted)
        {
            // RFC 3261 §12.2.2: a CSeq lower than the last one is answered 500.
            leg.Reply(request, SipStatusCodes.ServerInternalError, "CSeq Out Of Order");
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Bye:
                call.OnBye(leg, request);
                break;
            case SipMethod.Invite:
                call.OnReInvite(leg, request);
                break;
            case SipMethod.Refer:
                OnRefer(connection, leg, request, directory);
                break;
            case SipMethod.Info or SipMethod.Options:
                // RFC 6086 INFO (DTMF from handsets that use it) and in-dialog OPTIONS: acknowledged; a caller's digit
                // (application/dtmf-relay) goes to the mailbox it is in.
                if (ReferenceEquals(leg, call.Caller) && call.Callee is IDigitReceiver application && DtmfRelay.TryRead(request.Body, out var digit))
                {
                    application.OnDigit(digit);
                }
                else if (call.Recording is { } recorded && DtmfRelay.TryRead(request.Body, out digit))
                {
                    // A party's recording feature codes (*1, *2) keyed as INFO; the digits are not passed on.
                    recorded.OnDigit(ReferenceEquals(leg, call.Caller), digit);
                }

                leg.Reply(request, SipStatusCodes.Ok);
                break;
            default:
                leg.Reply(request, SipStatusCodes.NotImplemented);
                break;
        }
    }

    /// <summary>
    /// RFC 3515: a REFER in an answered call's dialog. Its Refer-To must be one SIP URI naming an extension of the
    /// transferor's own tenant; anything else is refused (403 for a target the switch will not call, 404 for a number the
    /// tenant does not have), changes nothing, and is audited with the reason. The call decides the rest.
    /// </summary>
    private void OnRefer(SipConnection connection, CallLeg leg, SipRequest refer, DeviceDirectory directory)
    {
        var call = leg.Call!;
        var device = connection.Device;
        var count = 0;
        byte[] referTo = [];
        foreach (var element in refer.GetHeaderElements(KnownHeader.ReferTo))
        {
            referTo = count++ == 0 ? element.ToArray() : referTo;
        }

        // RFC 3515 §2.4.1: exactly one Refer-To.
        if (count != 1)
        {
            leg.Reply(refer, SipStatusCodes.BadRequest, "Exactly One Refer-To Required");
            return;
        }

        var (status, reason) = Check(referTo, out var target);
        if (status != 0)
        {
            _audit.Denied("sip.refer", $"REFER in call {PeerText.Bound(call.CallId)} refused: {reason}", device.TenantId, device.Mac,
                device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
            leg.Reply(refer, status, status == SipStatusCodes.NotFound ? "Not Found" : "Forbidden");
            return;
        }

        if (target!.Replaces is { } replaces)
        {
            // RFC 3891: an attended transfer. The Replaces must name a dialog of this device, in another call of its tenant.
            var (refusal, why, replaced) = Resolve(replaces, connection);
            if (refusal != 0)
            {
                _audit.Denied("sip.refer", $"REFER in call {PeerText.Bound(call.CallId)} refused: {why}", device.TenantId, device.Mac,
                    device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
                leg.Reply(refer, refusal, refusal == SipStatusCodes.Forbidden ? "Forbidden" : "Call/Transaction Does Not Exist");
                return;
            }

            call.OnReferReplaces(leg, refer, replaced!);
            return;
        }

        // The target's handsets see the remaining party as the caller (RFC 5589 §6: the transferee is who they talk to).
        var remaining = ReferenceEquals(leg, call.Caller) ? call.Callee?.Party ?? leg.Party : call.Caller.Party;
        call.OnRefer(leg, refer, Forks(remaining, device.TenantId, target!.Number));

        (int Status, string Reason) Check(byte[] value, out ReferTarget? parsed)
        {
            if (!ReferTarget.TryParse(value, out parsed))
            {
                return (SipStatusCodes.Forbidden, $"Refer-To '{PeerText.Bound(Encoding.UTF8.GetString(value))}' is not a SIP URI with a user part");
            }

            if (parsed!.Replaces is not null)
            {
                // The Replaces names the target's call; its number is the transferor's view of it and is not dialled.
                return (0, "");
            }

            return directory.TryFindExtension(device.TenantId, parsed.Number, out _)
                ? (0, "")
                : (SipStatusCodes.NotFound, $"Refer-To '{PeerText.Bound(parsed.Number)}' is not an extension of the tenant");
        }
    }

    /// <summary>
    /// RFC 3891 §3: the switch's own dialog with the transferor that a Replaces names: Call-ID, our tag in to-tag and the
    /// transferor's in from-tag (as the target would match them), or the other way round, as some handsets write them
    /// from their own side; the tags are random, so either order names one dialog. An unknown dialog is 481; a dialog of
    /// another tenant, another device or another line, or an early-only flag on an answered dialog, is 403.
    /// </summary>
    private (int Status, string Reason, HandsetLeg? Leg) Resolve(ReplacedDialog replaces, SipConnection connection)
    {
        if ((!Dialogs.TryFind(new DialogKey(replaces.CallId, replaces.ToTag, replaces.FromTag), out var dialog, out var found)
                && !Dialogs.TryFind(new DialogKey(replaces.CallId, replaces.FromTag, replaces.ToTag), out dialog, out found))
            || found?.Call is not { } call || call.StateWithoutWaiting == Call.State.Ended)
        {
            return (SipStatusCodes.CallOrTransactionDoesNotExist, $"Replaces names no dialog of the switch (Call-ID {PeerText.Bound(replaces.CallId)})", null);
        }

        var device = connection.Device;
        if (call.TenantId != device.TenantId)
        {
            return (SipStatusCodes.Forbidden, "Replaces names a dialog of another tenant", null);
        }

        if (found is not HandsetLeg handset || handset.DeviceId != device.DeviceId || !device.Extensions.Contains(handset.Party))
        {
            return (SipStatusCodes.Forbidden, "Replaces names a dialog of another device or line", null);
        }

        if (replaces.EarlyOnly && dialog!.CurrentState == Dialog.State.Confirmed)
        {
            return (SipStatusCodes.Forbidden, "Replaces has early-only and names an answered dialog", null);
        }

        return (0, "", handset);
    }

    /// <summary>A 2xx retransmitted after the INVITE client transaction ended: its leg ACKs it again (RFC 3261 §13.2.2.4).</summary>
    public void OnStrayResponse(SipConnection connection, SipResponse response)
    {
        if (!response.IsSuccess || !Dialogs.TryFindForResponse(response, out _, out var leg))
        {
            return;
        }

        if (leg is HandsetLeg handset && handset.Admits(connection))
        {
            handset.OnRetransmitted2xx();
        }
        else if (leg is TrunkLeg trunk && trunk.Admits(connection))
        {
            trunk.OnRetransmitted2xx();
        }
    }

    public void OnConnectionClosed(long connectionId)
    {
        List<Call> calls;
        lock (_gate)
        {
            calls = [.. _calls];
        }

        foreach (var call in calls)
        {
            call.OnConnectionClosed(connectionId);
        }
    }

    public LocalMediaOptions Local(RelaySocketPair side, IReadOnlyList<SrtpSuite> suites) => new()
    {
        Address = _relay.Address,
        RtpPort = side.RtpPort,
        RtcpPort = side.RtpPort + 1,
        SessionId = (ulong)RandomNumberGenerator.GetInt32(1, int.MaxValue),
        SessionVersion = (ulong)_time.GetUtcNow().ToUnixTimeSeconds(),
        Suites = suites,
    };

    /// <summary>A call between handsets: one bridge (two port pairs), the caller answered on side A, each fork offered side B.</summary>
    private (Call? Call, List<CallLeg> Callees) Bridge<TLeg>(TLeg caller, SessionDescription offer, List<SrtpSuite> suites, List<CallLeg> forks, string callId)
        where TLeg : CallLeg, ICallerLeg
    {
        var bridge = _relay.Open();
        if (bridge is null)
        {
            caller.Refuse(SipStatusCodes.ServiceUnavailable, "No media ports free");
            return (null, []);
        }

        var callerMedia = Local(bridge.SideA, suites);
        var answer = caller.AnswerOffer(offer, callerMedia);
        if (!answer.IsAcceptable)
        {
            _ = bridge.DisposeAsync().AsTask();
            RefuseOffer(caller, answer, callId);
            return (null, []);
        }

        // Each leg gets its own fresh keys: the callee never sees the caller's (DESIGN "Calls").
        var calleeMedia = Local(bridge.SideB, suites);
        var call = new Call(caller, answer, SdesOfferAnswer.CreateOffer(calleeMedia), bridge, callerMedia, calleeMedia, _environment);
        bridge.LegKinds = () => (SwitchMetrics.LegKindLabel(call.Caller.Kind), SwitchMetrics.LegKindLabel(call.Callee?.Kind));
        return (call, forks);
    }

    /// <summary>A fork towards each live binding of <paramref name="number"/>, for a call forwarded there.</summary>
    private List<CallLeg> Forks(string callerParty, Guid tenantId, string number, bool localOnly = false)
    {
        List<CallLeg> local =
        [
            .. _bindings.Find(tenantId, number, _time.GetUtcNow())
                .Select(b => (Binding: b, Found: _connections.TryGet(b.ConnectionId, out var c), Connection: c))
                .Where(t => t.Found && !t.Connection.IsClosed)
                .Select(t => (CallLeg)HandsetLeg.Outbound(callerParty, number, t.Binding.ContactUri, t.Connection, _sip)),
        ];

        // Issue 14: no binding here, but another node holds one: a node leg there. A call that came from a node never
        // goes on to a third one (no loops between nodes).
        if (local.Count == 0 && !localOnly && NodeRoutes?.Fork(callerParty, tenantId, number, _sip) is { } node)
        {
            local.Add(node);
        }

        return local;
    }

    /// <summary>A call to the announcement application: one port pair, the caller answered on it, no bridge.</summary>
    private (Call? Call, List<CallLeg> Callees) Announce(HandsetLeg caller, string dialled, SessionDescription offer, List<SrtpSuite> suites, Prompt prompt, string callId)
    {
        if (AnswerAlone(caller, offer, suites, callId) is not (var call, var socket, var answer))
        {
            return (null, []);
        }

        SwitchLog.AnnouncementStarted(_logger, callId, dialled, prompt.Name);
        return (call, [new AnnouncementLeg(dialled, prompt, socket, answer, _time)]);
    }

    /// <summary>A call straight to a mailbox (nobody registered): one port pair of the mailbox's own, no bridge.</summary>
    private (Call? Call, List<CallLeg> Callees) Deposit<TLeg>(TLeg caller, DirectoryExtension owner, SessionDescription offer, List<SrtpSuite> suites, string callId)
        where TLeg : CallLeg, ICallerLeg
    {
        if (AnswerAlone(caller, offer, suites, callId) is not (var call, var socket, var answer))
        {
            return (null, []);
        }

        return (call, [_environment.Mailboxes!.Open(call, owner, Data.Entities.GreetingKind.Unavailable, socket, ownsSocket: true, answer)]);
    }

    /// <summary>A call to the access number: the caller's own mailbox on a port pair of its own, no bridge.</summary>
    private (Call? Call, List<CallLeg> Callees) Retrieve(HandsetLeg caller, DeviceDirectory directory, SessionDescription offer, List<SrtpSuite> suites, string callId)
    {
        if (AnswerAlone(caller, offer, suites, callId) is not (var call, var socket, var answer))
        {
            return (null, []);
        }

        var device = caller.Connection.Device;
        var owner = directory.TryFindExtension(device.TenantId, caller.Party, out var own) ? own : null;
        var who = new MailboxCaller(caller.Party, device.Mac, device.DeviceId, caller.Connection.Remote.Address);
        return (call, [_environment.Mailboxes!.OpenRetrieval(owner, who, socket, answer)]);
    }

    /// <summary>
    /// A call that an application answers alone (announcement, mailbox): one port pair of its own and the caller's offer
    /// answered on it, no bridge. Null when no port is free or the offer is refused (the caller has been answered).
    /// </summary>
    private (Call Call, RelaySocketPair Socket, NegotiationResult Answer)? AnswerAlone<TLeg>(
        TLeg caller, SessionDescription offer, List<SrtpSuite> suites, string callId)
        where TLeg : CallLeg, ICallerLeg
    {
        var socket = _ports.Rent();
        if (socket is null)
        {
            caller.Refuse(SipStatusCodes.ServiceUnavailable, "No media ports free");
            return null;
        }

        var local = Local(socket, suites);
        var answer = caller.AnswerOffer(offer, local);
        if (!answer.IsAcceptable)
        {
            socket.Dispose();
            RefuseOffer(caller, answer, callId);
            return null;
        }

        return (new Call(caller, answer, null, null, local, null, _environment), socket, answer);
    }

    // The offer's own words never go back in the reason phrase (issue 12, "Bad input"); the log gets them bounded.
    private void RefuseOffer(ICallerLeg caller, NegotiationResult answer, string callId)
    {
        SwitchLog.OfferRefused(_logger, callId, PeerText.Bound(answer.NotAcceptableReason));
        caller.Refuse(SipStatusCodes.NotAcceptableHere, answer.ReasonPhrase);
    }

    /// <summary>
    /// The limits that protect every tenant from every other (issue 12 item 4), checked under the lock with the call
    /// added in the same breath, so two INVITEs cannot both take the last place.
    /// </summary>
    private (int Status, string Reason)? Admit(HandsetLeg caller, int tenantLimit)
    {
        var tenantCalls = 0;
        var pendingFromDevice = 0;
        foreach (var call in _calls)
        {
            if (call.TenantId == caller.TenantId)
            {
                tenantCalls++;
            }

            if (call.StateWithoutWaiting == Call.State.Ringing && call.Caller is HandsetLeg ringing && ringing.DeviceId == caller.DeviceId)
            {
                pendingFromDevice++;
            }
        }

        if (caller.Hop is { } hop)
        {
            // A call from another node: that node counted the caller's device; the tenant's limit holds here too.
            if (tenantCalls < tenantLimit)
            {
                return null;
            }

            _audit.Denied("sip.invite", $"tenant has {tenantCalls} calls (MaxConcurrentCalls {tenantLimit}); call from switch node {hop.NodeName}",
                caller.TenantId, hop.NodeName, caller.DeviceId.ToString(), caller.Connection.Remote.Address, "tenant", caller.TenantId.ToString());
            return (SipStatusCodes.Forbidden, "Tenant call limit reached");
        }

        var device = caller.Connection.Device;
        if (pendingFromDevice >= _limits.MaxPendingInvitesPerDevice)
        {
            _audit.Denied("sip.invite", $"device {device.Mac} already has {pendingFromDevice} calls ringing (limit {_limits.MaxPendingInvitesPerDevice})",
                device.TenantId, device.Mac, device.DeviceId.ToString(), caller.Connection.Remote.Address, "device", device.DeviceId.ToString());
            return (SipStatusCodes.ServiceUnavailable, "Too Many Pending Calls From This Device");
        }

        if (tenantCalls >= tenantLimit)
        {
            _audit.Denied("sip.invite", $"tenant has {tenantCalls} calls (MaxConcurrentCalls {tenantLimit})",
                device.TenantId, device.Mac, device.DeviceId.ToString(), caller.Connection.Remote.Address, "tenant", device.TenantId.ToString());
            return (SipStatusCodes.Forbidden, "Tenant call limit reached");
        }

        return null;
    }

    /// <summary>
    /// A carrier's call counts against its tenant's limit as any call does, and a carrier may have no more calls ringing
    /// at once than a device may, so a flood of INVITEs from it cannot take every place (issue 11, "Bad input").
    /// </summary>
    private (int Status, string Reason)? AdmitCarrier(TrunkLeg caller, int tenantLimit)
    {
        var carrier = caller.Trunk!.Target.PeerId;
        var tenantCalls = _calls.Count(c => c.TenantId == caller.TenantId);
        var pendingFromCarrier = _calls.Count(c =>
            c.StateWithoutWaiting == Call.State.Ringing && c.Caller is TrunkLeg { Trunk: { } trunk } && trunk.Target.PeerId == carrier);
        var (name, id) = (caller.Trunk.Target.Name, carrier.ToString());
        if (pendingFromCarrier >= _limits.MaxPendingInvitesPerDevice)
        {
            _audit.Denied("pstn.inbound", $"carrier {name} already has {pendingFromCarrier} calls ringing (limit {_limits.MaxPendingInvitesPerDevice})",
                caller.TenantId, name, id, null, "trunk", id);
            return (SipStatusCodes.ServiceUnavailable, "Too Many Pending Calls From This Carrier");
        }

        if (tenantCalls >= tenantLimit)
        {
            _audit.Denied("pstn.inbound", $"tenant has {tenantCalls} calls (MaxConcurrentCalls {tenantLimit})", caller.TenantId, name, id, null, "tenant", caller.TenantId.ToString());
            return (SipStatusCodes.Forbidden, "Tenant call limit reached");
        }

        return null;
    }

    private bool Accepts(CallLeg leg, SipConnection connection, SipRequest request)
    {
        if (leg.Admits(connection))
        {
            return true;
        }

        if (connection.Peer?.Current is { } peer)
        {
            _audit.Denied($"sip.{request.MethodName.ToLowerInvariant()}", $"{request.MethodName} in a dialog that is not {peer.Name}'s (Call-ID {PeerText.Bound(request.CallId)})",
                peer.TenantId, peer.Name, peer.PeerId.ToString(), connection.Remote.Address,
                peer.Kind == Sip.Transport.Peers.PeerKind.Node ? "switch_node" : "trunk", peer.PeerId.ToString());
            return false;
        }

        var device = connection.Device;
        _audit.Denied(
            $"sip.{request.MethodName.ToLowerInvariant()}",
            $"{request.MethodName} in a dialog of another device (Call-ID {PeerText.Bound(request.CallId)}) from device {device.Mac}",
            device.TenantId, device.Mac, device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
        return false;
    }

    private void Forget(Call call)
    {
        int remaining;
        lock (_gate)
        {
            _calls.Remove(call);
            if (call.InviteKey is { } invite)
            {
                _invites.Remove(invite);
            }

            remaining = _calls.Count;
        }

        Drain?.OnCallEnded(remaining);
    }

    private void Reply(SipConnection connection, SipRequest request, int status)
    {
        if (request.Method == SipMethod.Invite)
        {
            var invite = new ServerInviteTransaction(request, connection, new TransactionCleanup(_transactions), _scheduler, _timers);
            if (_transactions.TryAddServer(invite))
            {
                invite.SendResponse(SipResponses.Create(request, status, SipRequests.NewTag()));
            }

            return;
        }

        var transaction = new ServerNonInviteTransaction(request, connection, new TransactionCleanup(_transactions), _scheduler, _timers);
        if (_transactions.TryAddServer(transaction))
        {
            transaction.SendResponse(SipResponses.Create(request, status, SipRequests.NewTag()));
        }
    }

    private static void Fail(ServerInviteTransaction transaction, int status, string tag, string? reason = null) =>
        transaction.SendResponse(SipResponses.Create(transaction.Request, status, tag, reason: reason));

    private static List<SrtpSuite> Suites(IEnumerable<string> names) =>
        [.. names.Select(n => SrtpSuiteProfile.TryParse(n, out var suite) ? (SrtpSuite?)suite : null).OfType<SrtpSuite>()];

    private static string? UserOf(ReadOnlySpan<byte> uri) =>
        SipUri.TryParse(uri, out var parsed) && parsed.HasUser ? Encoding.UTF8.GetString(parsed.User) : null;
}
