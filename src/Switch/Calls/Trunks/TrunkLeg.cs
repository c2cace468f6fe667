using System.Security.Cryptography;
using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Dialogs;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// The carrier's side of an outbound PSTN call: the switch is the UAC of an INVITE to the dialled number over a peer
/// connection to the carrier (mutual TLS). It tries the route's trunks in order, moving on when a trunk is full, cannot
/// be reached, times out or answers 5xx (the route's failover), answers one digest challenge per trunk (RFC 3261 §22.2),
/// and owns its dialog once answered. Its own lock guards its state because a connection is opened off the call's
/// thread; it never calls into its <see cref="Call"/> while holding that lock. Inbound (issue 11), it is the caller: the
/// carrier's INVITE to a tenant's number, which the switch answers as UAS on the carrier's own connection.
/// </summary>
internal sealed class TrunkLeg : CallLeg, ITransactionUser, ICallerLeg
{
    private readonly Lock _lock = new();
    private readonly IReadOnlyList<PstnTrunk> _trunks;
    private readonly TrunkServices _services;
    private LegSignalling _sip;
    private readonly string _callerId;
    private int _next;
    private PstnTrunk? _trunk;
    private SipConnection? _connection;
    private ClientInviteTransaction? _transaction;
    private SipRequest? _sentInvite;
    private SdesOffer? _offer;
    private string _callId = "";
    private uint _sequence;
    private bool _challenged;
    private Dialog? _dialog;
    private SipRequest? _ack;
    private bool _provisional;
    private bool _cancelWhenProvisional;
    private bool _cancelled;
    private int? _finalStatus;
    private int _lastFailure = SipStatusCodes.ServiceUnavailable;
    private int _challengedBy;
    private bool _holdsChannel;
    private ServerInviteTransaction? _inboundInvite;
    private Guid? _tenantId;

    public TrunkLeg(string number, string callerId, IReadOnlyList<PstnTrunk> trunks, TrunkServices services, LegSignalling sip, bool emergency = false)
        : base(number)
    {
        Emergency = emergency;
        _trunks = trunks;
        _services = services;
        _sip = sip;
        _callerId = callerId;
    }

    /// <summary>
    /// The caller's leg of a carrier's INVITE to <paramref name="tenantId"/>'s number, over the carrier's own connection;
    /// the 100 Trying is already sent. <paramref name="callerNumber"/> is who called, as the carrier says. The leg holds
    /// one of the trunk's channels, taken by the caller, until it is refused or its call ends.
    /// </summary>
    public static TrunkLeg Inbound(
        string callerNumber, Guid tenantId, PstnTrunk trunk, SipConnection connection, ServerInviteTransaction invite, TrunkServices services, LegSignalling sip) =>
        new(callerNumber, "", [trunk], services, sip)
        {
            _tenantId = tenantId,
            _trunk = trunk,
            _connection = connection,
            _sip = sip.On(connection),
            _inboundInvite = invite,
            _holdsChannel = true,
        };

    public override LegKind Kind => LegKind.Trunk;

    /// <summary>The tenant whose number a carrier called (inbound), or whose route this leg dials (outbound).</summary>
    public Guid TenantId => _tenantId ?? (_trunks.Count > 0 ? _trunks[0].TenantId : Guid.Empty);

    /// <summary>The Call-ID of the carrier's INVITE (inbound), or of ours on the trunk tried last (outbound).</summary>
    public string CallId
    {
        get
        {
            lock (_lock)
            {
                return _inboundInvite?.Request.CallId ?? _callId;
            }
        }
    }

    /// <summary>The carrier's INVITE server transaction when this leg is the caller.</summary>
    public ServerInviteTransaction? InboundInvite
    {
        get
        {
            lock (_lock)
            {
                return _inboundInvite;
            }
        }
    }

    /// <summary>True when a carrier called in on this leg (the switch is its UAS).</summary>
    public bool IsInbound => InboundInvite is not null;

    /// <summary>An emergency call: it takes a channel even from a full trunk (emergency goes ahead of every limit).</summary>
    public bool Emergency { get; }

    /// <summary>Our From tag, the same on every trunk tried.</summary>
    public string LocalTag { get; } = SipRequests.NewTag();

    /// <summary>The trunk carrying the call now (the last one tried).</summary>
    public PstnTrunk? Trunk
    {
        get
        {
            lock (_lock)
            {
                return _trunk;
            }
        }
    }

    public override bool HasFinalAnswer
    {
        get
        {
            lock (_lock)
            {
                return _finalStatus is not null;
            }
        }
    }

    /// <summary>True when the last trunk tried failed because its host did not resolve (RFC 3263): the caller hears why.</summary>
    public bool Unresolved { get; private set; }

    /// <summary>The final status of our INVITE on the last trunk tried (or why no trunk could be tried).</summary>
    public int? FinalStatus
    {
        get
        {
            lock (_lock)
            {
                return _finalStatus;
            }
        }
    }

    /// <summary>The connection of the carrier this leg's dialog is with; the carrier may reconnect (a new flow from the same certificate).</summary>
    public override bool Admits(SipConnection connection)
    {
        lock (_lock)
        {
            if (_connection is null || connection.Peer is not { } peer || connection.IsClosed)
            {
                return false;
            }

            return connection.Id == _connection.Id || (peer.Current.Kind == PeerKind.Trunk && peer.Current.PeerId == _connection.Peer!.Current.PeerId);
        }
    }

    public override bool UsesConnection(long connectionId)
    {
        lock (_lock)
        {
            return _connection?.Id == connectionId;
        }
    }

    /// <summary>RFC 3261 §13.3.1.1: tell the carrier the callee is being alerted.</summary>
    public void Ring()
    {
        var invite = InboundInvite!;
        invite.SendResponse(SipResponses.Create(invite.Request, SipStatusCodes.Ringing, LocalTag, [("Contact", _sip.Contact)]));
    }

    /// <summary>RFC 3261 §13.3.1.4: the 2xx with our SDP answer confirms the carrier's dialog (§12.1.1).</summary>
    public void Answer(NegotiationResult media)
    {
        ArgumentNullException.ThrowIfNull(media);
        Media = media;
        SipResponse ok;
        lock (_lock)
        {
            var request = _inboundInvite!.Request;
            ok = SipResponses.Create(
                request, SipStatusCodes.Ok, LocalTag, [("Contact", _sip.Contact), ("Content-Type", "application/sdp")], SdpWriter.WriteUtf8(media.Answer!));
            if (Dialog.TryCreateAsUas(request, ok, out var dialog))
            {
                _dialog = dialog;
                _sip.Dialogs.TryAdd(dialog!, this);
            }

            _finalStatus = SipStatusCodes.Ok;
        }

        _inboundInvite.SendResponse(ok);
    }

    /// <summary>A final failure to the carrier's INVITE. The reason phrase is always our own fixed words.</summary>
    public void Refuse(int status, string? reason = null)
    {
        ServerInviteTransaction invite;
        lock (_lock)
        {
            _finalStatus = status;
            invite = _inboundInvite!;
            // Refused before any call was made of it: nothing else gives its channel back.
            ReleaseChannel();
        }

        invite.SendResponse(SipResponses.Create(invite.Request, status, LocalTag, reason: reason));
    }

    /// <summary>
    /// Issue 11, inbound: a carrier's RTP/AVP offer is answered in plain RTP only on a trunk the operator allowed plain
    /// whose SRTP mode is not required (RFC 3264 §6, <see cref="PlainRtpOfferAnswer.Answer"/>); any other offer must be
    /// SDES-keyed SRTP, so a required trunk's plain offer gets the 488 "plain RTP refused, SRTP required". Once agreed, the
    /// leg's protection stays for the call: a re-INVITE that would change it is refused, so the leg's facts stay true.
    /// </summary>
    public override NegotiationResult AnswerOffer(SessionDescription offer, LocalMediaOptions local)
    {
        var plain = Trunk is { AcceptsPlainRtp: true } && PlainRtpOfferAnswer.IsPlain(offer);
        if (Media?.Media is { } agreed && agreed.IsPlain != plain)
        {
            return NegotiationResult.NotAcceptable("a re-INVITE would change the carrier leg's media protection", "Media protection cannot change");
        }

        return plain ? PlainRtpOfferAnswer.Answer(offer, local) : SdesOfferAnswer.Answer(offer, local);
    }

    public override void Invite(SdesOffer? offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        _offer = offer;
        // Connecting may take a TLS handshake: off the caller's thread, which holds the call.
        _ = Task.Run(TryNextTrunkAsync);
    }

    public override void Cancel()
    {
        lock (_lock)
        {
            _cancelled = true;
            Leave();
            if (_transaction is null || _finalStatus is not null)
            {
                ReleaseChannel();
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
    }

    public override void Hangup()
    {
        lock (_lock)
        {
            var dialog = _dialog;
            Leave();
            ReleaseChannel();
            if (dialog is null || dialog.CurrentState != Dialog.State.Confirmed)
            {
                return;
            }

            // RFC 3261 §15.1.1: BYE in the dialog, in its own non-INVITE client transaction.
            var bye = dialog.CreateRequest(SipMethod.Bye, Encoding.ASCII.GetBytes(_sip.NewVia()));
            dialog.Terminate();
            SendRequest(bye);
        }
    }

    public override void Reply(SipRequest request, int status, string? reason = null)
    {
        var connection = Connection();
        if (connection is null)
        {
            return;
        }

        var transaction = new ServerNonInviteTransaction(request, connection, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        if (_sip.Transactions.TryAddServer(transaction))
        {
            transaction.SendResponse(SipResponses.Create(request, status, LocalTag, reason: reason));
        }
    }

    public override void AnswerReInvite(SipRequest invite, int status, string? reason, SessionDescription? answer)
    {
        var connection = Connection();
        if (connection is null)
        {
            return;
        }

        var transaction = new ServerInviteTransaction(invite, connection, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        if (!_sip.Transactions.TryAddServer(transaction))
        {
            return;
        }

        transaction.Start();
        transaction.SendResponse(answer is null
            ? SipResponses.Create(invite, status, LocalTag, reason: reason)
            : SipResponses.Create(invite, status, LocalTag, [("Contact", _sip.Contact), ("Content-Type", "application/sdp")], SdpWriter.WriteUtf8(answer)));
    }

    public override void Forget()
    {
        lock (_lock)
        {
            Leave();
            ReleaseChannel();
        }
    }

    public override CallLegRecord? Describe(CallRecord record, int position)
    {
        SipConnection? connection;
        PstnTrunk? trunk;
        lock (_lock)
        {
            connection = _connection;
            trunk = _trunk;
        }

        var peer = connection?.Peer?.Current;
        var media = Media?.Media;
        var suite = media is { IsPlain: false } ? media.Suite : (SrtpSuite?)null;
        var transport = connection?.Transport ?? SignallingTransport.Tls;
        var tls = transport == SignallingTransport.Tls;
        return new CallLegRecord
        {
            CallRecordId = record.Id,
            TenantId = record.TenantId,
            Position = position,
            Kind = HostedPbx.Data.Entities.LegKind.Trunk,
            Party = Party,
            TrunkId = trunk?.Id,
            // Issue 11: a plain trunk's leg says UDP, no TLS and no certificate, as it was.
            Transport = transport,
            TlsVersion = tls ? connection?.TlsVersion : null,
            TlsCipher = tls ? connection?.TlsCipher : null,
            PeerCertificateVerified = tls && (peer?.CertificateVerified ?? false),
            PeerCertificateSubject = tls ? peer?.Subject : null,
            PeerVerifiedBy = tls ? peer?.VerifiedBy : null,
            MediaProtection = suite is null ? MediaProtection.None : MediaProtection.Srtp,
            SrtpSuite = suite is { } s ? SrtpSuiteProfile.NameOf(s) : null,
            // Beyond the carrier the call crosses the telephone network, which we do not protect.
            LeavesNetwork = true,
        };
    }

    void ITransactionUser.OnResponse(ISipTransaction transaction, SipResponse response)
    {
        var call = Call!;
        Action? then;
        lock (_lock)
        {
            if (transaction != _transaction || _finalStatus is not null)
            {
                return;
            }

            then = response.IsProvisional ? OnProvisional(response, call)
                : response.IsSuccess ? OnAnswered(response, call)
                : OnRefused(response, call);
        }

        then?.Invoke();
    }

    void ITransactionUser.OnTimeout(ISipTransaction transaction) => OnNoAnswer(transaction, SipStatusCodes.RequestTimeout);

    void ITransactionUser.OnTransportError(ISipTransaction transaction) => OnNoAnswer(transaction, SipStatusCodes.ServiceUnavailable);

    void ITransactionUser.OnTerminated(ISipTransaction transaction) => _sip.Transactions.Remove(transaction);

    /// <summary>A 2xx retransmitted after the INVITE transaction ended: ACK it again (RFC 3261 §13.2.2.4).</summary>
    public void OnRetransmitted2xx()
    {
        var connection = Connection();
        if (_ack is not null && connection is not null)
        {
            connection.Send(_ack);
        }
    }

    private Action? OnProvisional(SipResponse response, Call call)
    {
        _provisional = true;
        if (_cancelWhenProvisional)
        {
            _cancelWhenProvisional = false;
            SendCancel();
            return null;
        }

        // RFC 3261 §12.1.2: a 1xx with a To tag makes an early dialog.
        if (!_cancelled && _dialog is null && response.ToTag.Length > 0 && Dialog.TryCreateAsUac(_sentInvite!, response, out var early))
        {
            _dialog = early;
            _sip.Dialogs.TryAdd(early!, this);
        }

        var status = response.StatusCode;
        return () => call.OnCalleeProgress(this, status);
    }

    private Action? OnAnswered(SipResponse response, Call call)
    {
        _finalStatus = response.StatusCode;
        // RFC 3261 §13.2.2.4: every 2xx is ACKed by the UAC core, then the call decides whether to keep it.
        if (_dialog is not null)
        {
            _sip.Dialogs.Remove(_dialog);
        }

        _dialog = Dialog.TryCreateAsUac(_sentInvite!, response, out var confirmed) ? confirmed : null;
        if (_dialog is not null && !_cancelled)
        {
            _sip.Dialogs.TryAdd(_dialog, this);
        }

        _ack = _dialog?.CreateAck(_sequence, Encoding.ASCII.GetBytes(_sip.NewVia()));
        if (_ack is not null)
        {
            _connection!.Send(_ack);
        }

        Media = !SdpReader.TryRead(response.Body, out var answer, out _) ? null
            // Issue 11: plain RTP only from a trunk allowed it (SRTP off, or preferred and the carrier answered RTP/AVP).
            : _trunk!.AcceptsPlainRtp && PlainRtpOfferAnswer.IsPlain(answer) ? PlainRtpOfferAnswer.AcceptAnswer(PlainRtpOfferAnswer.Offer(_offer!), answer)
            : SdesOfferAnswer.AcceptAnswer(_offer!, answer);
        SwitchLog.TrunkAnswered(_services.Logger, _callId, _trunk!.Name);
        return () => call.OnCalleeAnswered(this);
    }

    private Action? OnRefused(SipResponse response, Call call)
    {
        var status = response.StatusCode;
        var trunk = _trunk!;
        // RFC 3261 §22.2: one answer to a challenge per trunk; a second challenge means the credentials are wrong.
        if (status is SipStatusCodes.Unauthorized or 407 && !_challenged && !_cancelled && Credentials(response, status) is { } credentials)
        {
            _challenged = true;
            SendInvite(credentials);
            return null;
        }

        Leave();
        ReleaseChannel();
        SwitchLog.TrunkRefused(_services.Logger, _callId, trunk.Name, status);
        // The route's failover: a trunk that is unwell (5xx) or did not answer gives way to the next one.
        if (status >= 500 && !_cancelled && _next < _trunks.Count)
        {
            _lastFailure = status;
            return () => _ = Task.Run(TryNextTrunkAsync);
        }

        _finalStatus = status;
        return () => call.OnCalleeFailed(this, status);
    }

    private void OnNoAnswer(ISipTransaction transaction, int status)
    {
        var call = Call!;
        lock (_lock)
        {
            if (transaction != _transaction || _finalStatus is not null)
            {
                return;
            }

            Leave();
            ReleaseChannel();
            SwitchLog.TrunkRefused(_services.Logger, _callId, _trunk!.Name, status);
            _lastFailure = status;
            if (_cancelled || _next >= _trunks.Count)
            {
                _finalStatus = status;
            }
        }

        if (HasFinalAnswer)
        {
            call.OnCalleeFailed(this, status);
            return;
        }

        _ = Task.Run(TryNextTrunkAsync);
    }

    /// <summary>The next trunk of the route that has a free channel and can be reached; the call fails when none is left.</summary>
    private async Task TryNextTrunkAsync()
    {
        while (true)
        {
            PstnTrunk trunk;
            lock (_lock)
            {
                if (_cancelled)
                {
                    _finalStatus ??= SipStatusCodes.RequestTerminated;
                    return;
                }

                if (_next >= _trunks.Count)
                {
                    _finalStatus = _lastFailure;
                    break;
                }

                trunk = _trunks[_next++];
                if (!_services.Channels.TryTake(trunk, force: Emergency))
                {
                    SwitchLog.TrunkFull(_services.Logger, trunk.Name, trunk.MaxChannels);
                    _lastFailure = SipStatusCodes.ServiceUnavailable;
                    continue;
                }

                _trunk = trunk;
                _holdsChannel = true;
            }

            // Issue 11: a trunk that is not TLS goes over the plain-trunk socket or a plain TCP connection, only where the operator allowed it.
            var outcome = trunk.IsPlain ? await _services.PlainFlowAsync(trunk, CancellationToken.None) : await _services.Connector().GetOrConnectAsync(trunk.Target, CancellationToken.None);
            lock (_lock)
            {
                if (!outcome.Succeeded)
                {
                    _services.Audit.Denied("pstn.trunk.connect", outcome.Failure, trunk.TenantId, trunk.Name, trunk.Id.ToString(), null, "trunk", trunk.Id.ToString());
                    ReleaseChannel();
                    _lastFailure = SipStatusCodes.ServiceUnavailable;
                    Unresolved = outcome.Unresolved;
                    continue;
                }

                Unresolved = false;
                if (_cancelled)
                {
                    ReleaseChannel();
                    _finalStatus ??= SipStatusCodes.RequestTerminated;
                    return;
                }

                _connection = outcome.Connection;
                _sip = _sip.On(outcome.Connection);
                _challenged = false;
                _provisional = false;
                _callId = SipRequests.NewCallId(_sip.SentBy.Split(':')[0]);
                _sequence = 0;
                SendInvite(null);
                return;
            }
        }

        Call!.OnCalleeFailed(this, _lastFailure);
    }

    private void SendInvite(string? credentials)
    {
        var trunk = _trunk!;
        _sequence++;
        // RFC 3966 / RFC 3261 §19.1.6: the number in E.164 as the user part, marked as a telephone number.
        var requestUri = $"sip:{Party}@{trunk.Endpoint.Host}:{trunk.Endpoint.Port};transport={SipRequests.UriTransport(_sip.Transport)};user=phone";
        var host = _sip.SentBy;
        List<(KnownHeader, string)> extra = [];
        if (credentials is not null)
        {
            extra.Add((_challengedBy == 407 ? KnownHeader.ProxyAuthorization : KnownHeader.Authorization, credentials));
        }

        var invite = SipRequests.Create(
            "INVITE", requestUri, host, $"<sip:{_callerId}@{host};user=phone>;tag={LocalTag}", $"<sip:{Party}@{trunk.Endpoint.Host};user=phone>",
            _callId, _sequence, _sip.Contact, SdpWriter.WriteUtf8(trunk.OffersPlainRtp ? PlainRtpOfferAnswer.Offer(_offer!) : _offer!.Offer), "application/sdp", extra,
            transport: _sip.Transport);
        _sentInvite = invite;
        _transaction = new ClientInviteTransaction(invite, _connection!, this, _sip.Scheduler, _sip.Timers);
        _sip.Transactions.TryAddClient(_transaction);
        _transaction.Start();
    }

    /// <summary>The credentials answering the challenge in <paramref name="response"/>; the password is decrypted only here.</summary>
    private string? Credentials(SipResponse response, int status)
    {
        var endpoint = _trunk!.Endpoint;
        if (endpoint.Username is null || endpoint.ProtectedPassword is null || _services.Keys is null)
        {
            return null;
        }

        var challenge = status == 407 ? KnownHeader.ProxyAuthenticate : KnownHeader.WwwAuthenticate;
        List<string> challenges = [];
        for (var i = 0; i < response.HeaderCount; i++)
        {
            if (response.GetHeaderEntry(i).Id == challenge)
            {
                challenges.Add(Encoding.UTF8.GetString(response.GetHeaderValue(i)));
            }
        }

        byte[] password;
        try
        {
            password = _services.Keys.Unprotect(endpoint.ProtectedPassword, endpoint.PasswordPurpose);
        }
        catch (KeyProtectionException)
        {
            _services.Audit.Denied("pstn.trunk.auth", "the trunk's password cannot be decrypted with this switch's master key", _trunk.TenantId,
                _trunk.Name, _trunk.Id.ToString(), null, "trunk", _trunk.Id.ToString());
            return null;
        }

        try
        {
            _challengedBy = status;
            var requestUri = Encoding.UTF8.GetString(_sentInvite!.RequestUri);
            return DigestClient.Answer(challenges, "INVITE", requestUri, endpoint.Username, password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private SipConnection? Connection()
    {
        lock (_lock)
        {
            return _connection;
        }
    }

    private void SendCancel()
    {
        var cancel = new ClientNonInviteTransaction(
            _transaction!.CreateCancel(), _connection!, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        _sip.Transactions.TryAddClient(cancel);
        cancel.Start();
    }

    private void SendRequest(SipRequest request)
    {
        if (_connection is not { IsClosed: false } connection)
        {
            return;
        }

        var transaction = new ClientNonInviteTransaction(request, connection, new TransactionCleanup(_sip.Transactions), _sip.Scheduler, _sip.Timers);
        _sip.Transactions.TryAddClient(transaction);
        transaction.Start();
    }

    private void ReleaseChannel()
    {
        if (_trunk is { } trunk && _holdsChannel)
        {
            _holdsChannel = false;
            _services.Channels.Release(trunk.Id);
        }
    }

    /// <summary>Out of the dialog table: from now on a request in this dialog gets 481.</summary>
    private void Leave()
    {
        if (_dialog is not null)
        {
            _sip.Dialogs.Remove(_dialog);
        }
    }
}
