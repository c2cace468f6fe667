using System.Text;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// What a carrier's connection may ask of the switch, once no transaction took it: requests in a trunk leg's dialog (BYE,
/// re-INVITE, ACK...) go to the B2BUA, which accepts them only from that carrier; keep-alive OPTIONS are answered; a
/// carrier never transfers a call (REFER) and never registers or subscribes. A new INVITE is a call to one of the
/// tenants' numbers (issue 11, inbound), taken when <paramref name="trunks"/> are there; its CANCEL goes to the B2BUA.
/// </summary>
internal sealed class TrunkRequests(
    TransactionTable transactions, SipTimerScheduler scheduler, SipTimers timers, CallController calls, Func<DeviceDirectory> directory,
    TrunkServices? trunks = null) : ISipConnectionHandler
{
    private readonly TransactionCleanup _cleanup = new(transactions);

    public void OnMessage(SipConnection connection, SipMessage message)
    {
        if (message is SipResponse response)
        {
            calls.OnStrayResponse(connection, response);
            return;
        }

        var request = (SipRequest)message;
        switch (request.Method)
        {
            case SipMethod.Ack or SipMethod.Bye or SipMethod.Invite or SipMethod.Info or SipMethod.Update or SipMethod.Notify or SipMethod.Prack
                when request.ToTag.Length > 0:
                calls.OnInDialog(connection, request, directory());
                break;
            case SipMethod.Ack:
                break;
            case SipMethod.Cancel:
                // RFC 3261 §9.2: the carrier's own INVITE that still rings, else 481.
                calls.OnCancel(connection, request);
                break;
            case SipMethod.Options:
                // RFC 3261 §11.2: the carrier's keep-alive.
                Answer(connection, request, SipStatusCodes.Ok, [("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS")]);
                break;
            case SipMethod.Invite when trunks is not null && connection.Peer is not null:
                OnInvite(connection, request, trunks);
                break;
            case SipMethod.Invite:
                // A switch without trunks takes no calls from carriers.
                Answer(connection, request, SipStatusCodes.ServiceUnavailable, []);
                break;
            default:
                Answer(connection, request, SipStatusCodes.Forbidden, []);
                break;
        }
    }

    public void OnClosed(SipConnection connection)
    {
    }

    /// <summary>
    /// A carrier's call to a number: decided by <see cref="InboundAdmission"/> from the carrier's certificate identity,
    /// then rung at the number's extension by the B2BUA as any call is, the carrier's side a trunk leg in the UAS role.
    /// </summary>
    private void OnInvite(SipConnection connection, SipRequest invite, TrunkServices services)
    {
        var transaction = new ServerInviteTransaction(invite, connection, _cleanup, scheduler, timers);
        if (!transactions.TryAddServer(transaction))
        {
            // RFC 3261 §17.2.1: a retransmitted INVITE is absorbed by its transaction.
            return;
        }

        transaction.Start();
        var carrier = connection.Peer!.Current;
        var decision = InboundAdmission.Decide(services.Directory, carrier, Called(invite));
        if (!decision.Admitted)
        {
            if (decision.AuditReason is { } why)
            {
                services.Audit.Denied("pstn.inbound", why, carrier.TenantId, carrier.Name, carrier.PeerId.ToString(), connection.Remote.Address, "trunk", carrier.PeerId.ToString());
            }

            Refuse(transaction, decision.Status, decision.Reason, carrier.Name, services.Logger);
            return;
        }

        // RFC 3261 §8.1.1.8: the INVITE must say where the carrier's dialog goes (its Contact).
        if (!HandsetLeg.HasContact(invite))
        {
            Refuse(transaction, SipStatusCodes.BadRequest, "Missing Contact", carrier.Name, services.Logger);
            return;
        }

        // The offer's own words never go back in the reason phrase; the log gets them bounded.
        if (!SdpReader.TryRead(invite.Body, out var offer, out var sdpError))
        {
            SwitchLog.OfferRefused(services.Logger, invite.CallId, PeerText.Bound(sdpError));
            Refuse(transaction, SipStatusCodes.NotAcceptableHere, "No usable SDP offer", carrier.Name, services.Logger);
            return;
        }

        // The trunk's channels count calls both ways (Trunk.MaxChannels, and the carrier's when it is the operator's).
        if (!services.Channels.TryTake(decision.Trunk!))
        {
            Refuse(transaction, SipStatusCodes.ServiceUnavailable, "All Channels Busy", carrier.Name, services.Logger);
            return;
        }

        var number = decision.Number!;
        var from = invite.TryGetFrom(out var address) ? UserOf(address.Uri) : null;
        var leg = TrunkLeg.Inbound(PeerText.Bound(from ?? "anonymous"), number.TenantId, decision.Trunk!, connection, transaction, services, calls.Signalling);
        SwitchLog.InboundAdmitted(services.Logger, invite.CallId, carrier.Name, number.TenantId, decision.Extension!);
        calls.OnTrunkInvite(leg, decision.Extension!, offer, directory());
    }

    private static void Refuse(ServerInviteTransaction transaction, int status, string reason, string carrier, ILogger logger)
    {
        SwitchLog.InboundRefused(logger, transaction.Request.CallId, carrier, status, reason);
        transaction.SendResponse(SipResponses.Create(transaction.Request, status, SipRequests.NewTag(), reason: reason));
    }

    /// <summary>The number called: the Request-URI's user (or a <c>tel:</c> Request-URI, RFC 3966), else the To's.</summary>
    private static string? Called(SipRequest invite)
    {
        var requestUri = UserOf(invite.RequestUri);
        return requestUri ?? (invite.TryGetTo(out var to) ? UserOf(to.Uri) : null);
    }

    private static string? UserOf(ReadOnlySpan<byte> uri)
    {
        if (uri.StartsWith("tel:"u8))
        {
            return Encoding.UTF8.GetString(uri);
        }

        return SipUri.TryParse(uri, out var parsed) && parsed.HasUser ? Encoding.UTF8.GetString(parsed.User) : null;
    }

    private void Answer(SipConnection connection, SipRequest request, int status, IEnumerable<(string Name, string Value)> headers)
    {
        if (request.Method == SipMethod.Invite)
        {
            var invite = new ServerInviteTransaction(request, connection, _cleanup, scheduler, timers);
            if (transactions.TryAddServer(invite))
            {
                invite.Start();
                invite.SendResponse(SipResponses.Create(request, status, SipRequests.NewTag(), headers));
            }

            return;
        }

        var transaction = new ServerNonInviteTransaction(request, connection, _cleanup, scheduler, timers);
        if (transactions.TryAddServer(transaction))
        {
            transaction.SendResponse(SipResponses.Create(request, status, SipRequests.NewTag(), headers));
        }
    }
}
