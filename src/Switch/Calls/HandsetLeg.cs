using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Dialogs;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

/// <summary>
/// A handset's side of a call, over the handset's own TLS connection (RFC 5923). Inbound, it is the caller and the switch
/// is the UAS of its INVITE; outbound, it is one fork towards a callee's binding and the switch is the UAC. Either way it
/// owns one dialog, the transactions in it, and talks SIP; it decides nothing about the call. Not thread-safe: its call
/// serializes every use.
/// </summary>
internal sealed class HandsetLeg : CallLeg, ITransactionUser, ICallerLeg
{
    private readonly LegSignalling _sip;
    private readonly ServerInviteTransaction? _inboundInvite;
    private readonly OutboundTarget? _target;
    private SipConnection _connection;
    private ClientInviteTransaction? _outboundTransaction;
    private SipRequest? _sentInvite;
    private SdesOffer? _offer;
    private Dialog? _dialog;
    private SipRequest? _ack;
    private bool _provisional;
    private bool _cancelWhenProvisional;
    private bool _cancelled;
    private int? _finalStatus;
    private ClientInviteTransaction? _reInvite;
    private SdesOffer? _reOffer;
    private readonly Nodes.NodeHop? _hop;

    private HandsetLeg(
        string party, SipConnection connection, LegSignalling sip, ServerInviteTransaction? inboundInvite, OutboundTarget? target, string localTag,
        Nodes.NodeHop? hop = null)
        : base(party)
    {
        _connection = connection;
        _sip = sip;
        _inboundInvite = inboundInvite;
        _target = target;
        LocalTag = localTag;
        _hop = hop;
        // Issue 14: over a node's connection the same dialog code is a node leg; the node stands where a device would.
        DeviceId = hop is null ? connection.Device.DeviceId : connection.Peer!.Current.PeerId;
    }

    public override LegKind Kind => _hop is null ? LegKind.Handset : LegKind.Node;

    public Guid DeviceId { get; }

    public Guid TenantId => _hop?.TenantId ?? _connection.Device.TenantId;

    /// <summary>Set when this leg goes to or comes from another switch node rather than a handset (issue 14).</summary>
    public Nodes.NodeHop? Hop => _hop;

    public SipConnection Connection => Volatile.Read(ref _connection);

    /// <summary>Our tag in this leg's dialog: the To tag we answer the caller with, or the From tag of our INVITE.</summary>
    public string LocalTag { get; }

    /// <summary>The Call-ID of this leg's dialog: the caller's own, or the fresh one of our INVITE to the callee.</summary>
    public string CallId => _inboundInvite?.Request.CallId ?? _target!.CallId;

    /// <summary>The caller's INVITE server transaction, which a CANCEL targets (RFC 3261 §9.2).</summary>
    public ServerInviteTransaction? InboundInvite => _inboundInvite;

    public Dialog? Dialog => _dialog;

    public override bool HasFinalAnswer => _finalStatus is not null;

    /// <summary>The final status of our INVITE to this callee, or of our answer to this caller.</summary>
    public int? FinalStatus => _finalStatus;

    /// <summary>The leg of a caller whose INVITE the controller accepted; the 100 Trying is already sent.</summary>
    public static HandsetLeg Inbound(string party, SipConnection connection, ServerInviteTransaction invite, LegSignalling sip, Nodes.NodeHop? hop = null) =>
        new(party, connection, sip, invite, null, SipRequests.NewTag(), hop);

    /// <summary>A fork towards one binding of the callee, over the connection that binding registered on (RFC 5626 §5.3).</summary>
    public static HandsetLeg Outbound(string callerParty, string party, string contactUri, SipConnection connection, LegSignalling sip, Nodes.NodeHop? hop = null)
    {
        var host = sip.SentBy;
        var tag = SipRequests.NewTag();
        var target = new OutboundTarget(contactUri, $"<sip:{callerParty}@{host}>;tag={tag}", $"<sip:{party}@{host}>", SipRequests.NewCallId(host.Split(':')[0]),
            hop is null ? [] : [.. Nodes.NodeAssertion.Headers(callerParty, host, hop.TenantId)]);
        return new HandsetLeg(party, connection, sip, null, target, tag, hop);
    }

    /// <summary>RFC 3261 §8.1.1.8: an INVITE carries a Contact, where the caller's dialog goes.</summary>
    public static bool HasContact(SipRequest invite)
    {
        foreach (var element in invite.GetHeaderElements(KnownHeader.Contact))
        {
            return NameAddress.TryParse(element, out _);
        }

        return false;
    }

    /// <summary>
    /// The same connection, or after a reconnect the same device (RFC 5626 flow recovery): then later requests to this
    /// leg go over the new connection.
    /// </summary>
    public override bool Admits(SipConnection connection)
    {
        var current = Connection;
        if (connection.Id == current.Id)
        {
            return true;
        }

        // A node leg: the same node over another connection (it reconnected); never a handset or another node.
        if (_hop is not null)
        {
            if (connection.IsClosed || connection.Peer?.Current is not { Kind: Sip.Transport.Peers.PeerKind.Node } peer || peer.PeerId != DeviceId)
            {
                return false;
            }

            Volatile.Write(ref _connection, connection);
            return true;
        }

        if (connection.IsPeer || connection.Device.DeviceId != DeviceId || connection.IsClosed)
        {
            return false;
        }

        Volatile.Write(ref _connection, connection);
        return true;
    }

    public override bool UsesConnection(long connectionId) => Connection.Id == connectionId;

    // --- Inbound: the switch is the UAS of the caller's INVITE ---

    /// <summary>RFC 3261 §13.3.1.1: tell the caller the callee is being alerted.</summary>
    public void Ring() =>
        _inboundInvite!.SendResponse(SipResponses.Create(_inboundInvite.Request, SipStatusCodes.Ringing, LocalTag, [("Contact", _sip.Contact)]));

    /// <summary>RFC 3261 §13.3.1.4: the 2xx with our SDP answer confirms the caller's dialog (§12.1.1).</summary>
    public void Answer(NegotiationResult media)
    {
        Media = media;
        var request = _inboundInvite!.Request;
        var ok = SipResponses.Create(
            request, SipStatusCodes.Ok, LocalTag, [("Contact", _sip.Contact), ("Content-Type", "application/sdp")], SdpWriter.WriteUtf8(media.Answer!));
        if (Dialog.TryCreateAsUas(request, ok, out var dialog))
        {
            _dialog = dialog;
            _sip.Dialogs.TryAdd(dialog!, this);
        }

        _finalStatus = SipStatusCodes.Ok;
        _inboundInvite.SendResponse(ok);
    }

    /// <summary>A final failure to the caller's INVITE. The reason phrase is always our own fixed words.</summary>
    public void Refuse(int status, string? reason = null)
    {
        _finalStatus = status;
        _inboundInvite!.SendResponse(SipResponses.Create(_inboundInvite.Request, status, LocalTag, reason: reason));
    }

    // --- Outbound: the switch is the UAC of its INVITE to the callee ---

    public override void Invite(SdesOffer? offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        _offer = offer;
        var target = _target!;
        var invite = SipRequests.Create(
            "INVITE", target.ContactUri, _sip.SentBy, target.From, target.To, target.CallId, 1, _sip.Contact, SdpWriter.WriteUtf8(offer.Offer), "application/sdp", named: target.Asserted);
        _sentInvite = invite;
        _outboundTransaction = new ClientInviteTransaction(invite, Connection, this, _sip.Scheduler, _sip.Timers);
        _sip.Transactions.TryAddClient(_outboundTransaction);
        _outboundTransaction.Start();
    }

    public override void Cancel()
    {
        _cancelled = true;
        Leave();
        if (_outboundTransaction is null || _finalStatus is not null)
        {
            return;
        }

        if (Connection.IsClosed)
        {
            // RFC 5626 §5.3: the flow is gone, and the fork with it; there is nobody left to CANCEL.
            _finalStatus = SipStatusCodes.ServiceUnavailable;
            return;
        }

        // RFC 3261 §9.1: a CANCEL only once a provisional response has arrived; until then it waits.
        if (!_provisional)
        {
            _cancelWhenProvisional = true;
            return;
        }

        SendCancel();
    }

    /// <summary>
    /// RFC 3261 §14.1: a re-INVITE of the switch's own in this confirmed dialog, with a new offer (an attended transfer
    /// moves this party to another bridge). The answer goes to the call through <see cref="Call.OnPartyReInvited"/>.
    /// </summary>
    public void ReInvite(SdesOffer offer)
    {
        if (_dialog is not { CurrentState: Dialog.State.Confirmed } dialog || Connection.IsClosed)
        {
            Call!.OnPartyReInvited(this, SipStatusCodes.CallOrTransactionDoesNotExist, offer, null);
            return;
        }

        _reOffer = offer;
        var invite = dialog.CreateRequest(
            SipMethod.Invite, Encoding.ASCII.GetBytes(_sip.NewVia()), Encoding.ASCII.GetBytes(_sip.Contact), "application/sdp"u8, SdpWriter.WriteUtf8(offer.Offer));
        _reInvite = new ClientInviteTransaction(invite, Connection, this, _sip.Scheduler, _sip.Timers);
        _sip.Transactions.TryAddClient(_reInvite);
        _reInvite.Start();
    }

    void ITransactionUser.OnResponse(ISipTransaction transaction, SipResponse response)
    {
        if (transaction == _reInvite)
        {
            OnReInviteResponse(response);
            return;
        }

        var call = Call!;
        if (response.IsProvisional)
        {
            _provisional = true;
            if (_cancelWhenProvisional)
            {
                _cancelWhenProvisional = false;
                SendCancel();
                return;
            }

            // RFC 3261 §12.1.2: a 1xx with a To tag makes an early dialog.
            if (!_cancelled && _dialog is null && response.ToTag.Length > 0 && Dialog.TryCreateAsUac(_sentInvite!, response, out var early))
            {
                _dialog = early;
                _sip.Dialogs.TryAdd(early!, this);
            }

            call.OnCalleeProgress(this, response.StatusCode);
            return;
        }

        _finalStatus = response.StatusCode;
        if (!response.IsSuccess)
        {
            Leave();
            call.OnCalleeFailed(this, response.StatusCode);
            return;
        }

        // RFC 3261 §13.2.2.4: every 2xx is ACKed by the UAC core, then the call decides whether to keep it.
        ConfirmDialog(response);
        _ack = _dialog?.CreateAck(1, Encoding.ASCII.GetBytes(_sip.NewVia()));
        if (_ack is not null)
        {
            Connection.Send(_ack);
        }

        Media = SdpReader.TryRead(response.Body, out var answer, out _) ? SdesOfferAnswer.AcceptAnswer(_offer!, answer) : null;
        call.OnCalleeAnswered(this);
    }

    void ITransactionUser.OnTimeout(ISipTransaction transaction)
    {
        if (transaction == _reInvite)
        {
            ReInviteFailed(SipStatusCodes.RequestTimeout);
            return;
        }

        if (transaction == _outboundTransaction && _finalStatus is null)
        {
            _finalStatus = SipStatusCodes.RequestTimeout;
            Leave();
            Call!.OnCalleeFailed(this, SipStatusCodes.RequestTimeout);
        }
    }

    void ITransactionUser.OnTransportError(ISipTransaction transaction)
    {
        if (transaction == _reInvite)
        {
            ReInviteFailed(SipStatusCodes.ServiceUnavailable);
            return;
        }

        if (transaction == _outboundTransaction && _finalStatus is null)
        {
            _finalStatus = SipStatusCodes.ServiceUnavailable;
            Leave();
            Call!.OnCalleeFailed(this, SipStatusCodes.ServiceUnavailable);
        }
    }

    void ITransactionUser.OnTerminated(ISipTransaction transaction) => _sip.Transactions.Remove(transaction);

    /// <summary>A 2xx retransmitted after the INVITE transaction ended: ACK it again (RFC 3261 §13.2.2.4).</summary>
    public void OnRetransmitted2xx()
    {
        if (_ack is not null)
        {
            Connection.Send(_ack);
        }
    }

    // --- Both directions ---

    public override void Hangup()
    {
        var dialog = _dialog;
        Leave();
        if (dialog is null || dialog.CurrentState != Dialog.State.Confirmed)
        {
            return;
        }

        // RFC 3261 §15.1.1: BYE in the dialog, in its own non-INVITE client transaction.
        var bye = dialog.CreateRequest(SipMethod.Bye, Encoding.ASCII.GetBytes(_sip.NewVia()));
        dialog.Terminate();
        SendRequest(bye);
    }

    /// <summary>
    /// RFC 3515 §2.4.4, §2.4.5: a NOTIFY of the implicit subscription a REFER made, in this leg's dialog: Event refer with
    /// the REFER's CSeq as id, the transfer's progress as a message/sipfrag status line, "terminated" with the final one.
    /// </summary>
    public void Notify(uint referSequence, string statusLine, bool final)
    {
        if (_dialog is not { CurrentState: Dialog.State.Confirmed } dialog)
        {
            return;
        }

        var notify = dialog.CreateRequest(
            SipMethod.Notify, Encoding.ASCII.GetBytes(_sip.NewVia()), Encoding.ASCII.GetBytes(_sip.Contact), "message/sipfrag;version=2.0"u8,
            Encoding.ASCII.GetBytes(statusLine + "\r\n"),
            [("Event", $"refer;id={referSequence}"), ("Subscription-State", final ? "terminated;reason=noresource" : "active;expires=60")]);
        SendRequest(notify);
    }

    public override void Reply(SipRequest request, int status, string? reason = null)
    {
        var transaction = new ServerNonInviteTransaction(request, Connection, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        if (_sip.Transactions.TryAddServer(transaction))
        {
            transaction.SendResponse(SipResponses.Create(request, status, LocalTag, reason: reason));
        }
    }

    public override void AnswerReInvite(SipRequest invite, int status, string? reason, SessionDescription? answer)
    {
        var transaction = new ServerInviteTransaction(invite, Connection, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        if (!_sip.Transactions.TryAddServer(transaction))
        {
            return;
        }

        transaction.Start();
        transaction.SendResponse(answer is null
            ? SipResponses.Create(invite, status, LocalTag, reason: reason)
            : SipResponses.Create(invite, status, LocalTag, [("Contact", _sip.Contact), ("Content-Type", "application/sdp")], SdpWriter.WriteUtf8(answer)));
    }

    /// <summary>Keeps the media agreed by a re-INVITE (RFC 3264 §8) for the call record.</summary>
    public void Renegotiated(NegotiationResult media) => Media = media;

    public override void Forget() => Leave();

    public override CallLegRecord? Describe(CallRecord record, int position)
    {
        if (_hop is not null)
        {
            return Nodes.NodeLegFacts.Describe(record, position, Connection, Media);
        }

        var flow = Connection.Flow;
        var suite = Media?.Media?.Suite;
        return new CallLegRecord
        {
            CallRecordId = record.Id,
            TenantId = record.TenantId,
            Position = position,
            Kind = HostedPbx.Data.Entities.LegKind.Handset,
            Party = Party,
            DeviceId = flow.Device.DeviceId,
            Transport = SignallingTransport.Tls,
            TlsVersion = flow.TlsVersion,
            TlsCipher = flow.TlsCipher,
            PeerCertificateVerified = true,
            PeerCertificateSubject = flow.Device.Subject,
            PeerMac = flow.Device.Mac,
            PeerVerifiedBy = flow.Device.AnchorName,
            MediaProtection = suite is null ? MediaProtection.None : MediaProtection.Srtp,
            SrtpSuite = suite is { } s ? SrtpSuiteProfile.NameOf(s) : null,
            LeavesNetwork = false,
        };
    }

    private void ConfirmDialog(SipResponse response)
    {
        if (_dialog is { } early && early.Key.RemoteTag == response.ToTag)
        {
            // A cancelled fork's dialog stays out of the table: the call ends it with BYE at once.
            early.OnResponse(response);
            return;
        }

        if (_dialog is not null)
        {
            _sip.Dialogs.Remove(_dialog);
        }

        _dialog = Dialog.TryCreateAsUac(_sentInvite!, response, out var confirmed) ? confirmed : null;
        if (_dialog is not null && !_cancelled)
        {
            _sip.Dialogs.TryAdd(_dialog, this);
        }
    }

    private void OnReInviteResponse(SipResponse response)
    {
        if (response.IsProvisional)
        {
            return;
        }

        var offer = _reOffer!;
        _reInvite = null;
        if (!response.IsSuccess)
        {
            Call!.OnPartyReInvited(this, response.StatusCode, offer, null);
            return;
        }

        // RFC 3261 §13.2.2.4: the 2xx to a re-INVITE is ACKed end to end, with the re-INVITE's CSeq number.
        if (_dialog is { } dialog && response.TryGetCSeq(out var cseq))
        {
            Connection.Send(dialog.CreateAck(cseq.Number, Encoding.ASCII.GetBytes(_sip.NewVia())));
        }

        var media = SdpReader.TryRead(response.Body, out var answer, out _) ? SdesOfferAnswer.AcceptAnswer(offer, answer) : null;
        Call!.OnPartyReInvited(this, response.StatusCode, offer, media);
    }

    private void ReInviteFailed(int status)
    {
        var offer = _reOffer!;
        _reInvite = null;
        Call!.OnPartyReInvited(this, status, offer, null);
    }

    private void SendCancel()
    {
        var cancel = new ClientNonInviteTransaction(
            _outboundTransaction!.CreateCancel(), Connection, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        _sip.Transactions.TryAddClient(cancel);
        cancel.Start();
    }

    private void SendRequest(SipRequest request)
    {
        var connection = Connection;
        if (connection.IsClosed)
        {
            return;
        }

        var transaction = new ClientNonInviteTransaction(request, connection, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        _sip.Transactions.TryAddClient(transaction);
        transaction.Start();
    }

    /// <summary>Out of the dialog table: from now on a request in this dialog gets 481.</summary>
    private void Leave()
    {
        if (_dialog is not null)
        {
            _sip.Dialogs.Remove(_dialog);
        }
    }

    /// <summary>Where a fork's INVITE goes and the dialog identifiers it starts with (RFC 3261 §8.1.1).</summary>
    private sealed record OutboundTarget(string ContactUri, string From, string To, string CallId, IReadOnlyList<(string Name, string Value)> Asserted);
}
