using HostedPbx.Switch.Calls;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// Where each framed message goes: to its transaction when one matches (RFC 3261 §17.1.3, §17.2.3); else a request inside
/// a dialog (a To tag, RFC 3261 §12.2.2) to the B2BUA's dialog lookup, a CANCEL to the INVITE it names (§9.2), and the
/// rest by method to the registrar or the B2BUA. A peer connection's messages (a carrier's or a node's) never reach the
/// registrar: what no transaction takes goes to the handler for the peer's kind in <paramref name="peers"/>.
/// </summary>
internal sealed class SipDispatcher(
    TransactionTable transactions,
    SipTimerScheduler scheduler,
    SipTimers timers,
    Registrar.Registrar registrar,
    CallController calls,
    Func<DeviceDirectory> directory,
    Calls.Voicemail.MailboxSubscriptions? subscriptions = null,
    IReadOnlyDictionary<PeerKind, ISipConnectionHandler>? peers = null) : ISipConnectionHandler
{
    private readonly TransactionCleanup _cleanup = new(transactions);

    public void OnMessage(SipConnection connection, SipMessage message)
    {
        if (transactions.TryDispatch(message))
        {
            return;
        }

        if (connection.Peer is { } peer)
        {
            OnPeerMessage(connection, peer.Current, message);
            return;
        }

        if (message is SipResponse response)
        {
            calls.OnStrayResponse(connection, response);
            return;
        }

        var request = (SipRequest)message;
        switch (request.Method)
        {
            case SipMethod.Invite when request.ToTag.Length == 0:
                calls.OnInvite(connection, request, directory());
                break;
            case SipMethod.Ack or SipMethod.Bye or SipMethod.Invite or SipMethod.Info or SipMethod.Update or SipMethod.Refer or SipMethod.Notify or SipMethod.Prack:
                // In a dialog, or meant to be: matched by Call-ID and both tags; a stranger's gets 481.
                calls.OnInDialog(connection, request, directory());
                break;
            case SipMethod.Cancel:
                calls.OnCancel(connection, request);
                break;
            case SipMethod.Subscribe when subscriptions is not null:
                // RFC 3842 message waiting: new subscriptions and their refreshes.
                subscriptions.OnSubscribe(connection, request, directory());
                break;
            case SipMethod.Register:
                Answer(connection, request, transaction =>
                {
                    var registered = registrar.Register(connection.Flow, request, directory());
                    if (registered.StatusCode == SipStatusCodes.Ok)
                    {
                        // Issue 9 item 3: a handset that does not subscribe to its mailbox is told of it when it registers.
                        subscriptions?.OnRegistered(connection, registrar.Bindings, directory());
                    }

                    return registered;
                });
                break;
            case SipMethod.Options:
                Answer(connection, request, _ => SipResponses.Create(request, SipStatusCodes.Ok, SipRequests.NewTag(),
                    [("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO")]));
                break;
            default:
                // RFC 3261 §8.2.1: a method we do not implement is answered 501 (405 would claim we know it).
                Answer(connection, request, _ => SipResponses.Create(request, SipStatusCodes.NotImplemented, SipRequests.NewTag()));
                break;
        }
    }

    public void OnClosed(SipConnection connection)
    {
        if (connection.Peer is { } peer)
        {
            calls.OnConnectionClosed(connection.Id);
            if (peers?.GetValueOrDefault(peer.Current.Kind) is { } handler)
            {
                handler.OnClosed(connection);
            }

            return;
        }

        registrar.OnConnectionClosed(connection.Id);
        calls.OnConnectionClosed(connection.Id);
        subscriptions?.OnConnectionClosed(connection.Id);
    }

    private void OnPeerMessage(SipConnection connection, PeerIdentity peer, SipMessage message)
    {
        if (peers?.GetValueOrDefault(peer.Kind) is { } handler)
        {
            handler.OnMessage(connection, message);
            return;
        }

        switch (message)
        {
            case SipRequest { Method: SipMethod.Options } options:
                // RFC 3261 §11.2: a carrier's keep-alive OPTIONS is answered even before its kind has a handler.
                Answer(connection, options, _ => SipResponses.Create(options, SipStatusCodes.Ok, SipRequests.NewTag(), [("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS")]));
                break;
            case SipRequest { Method: not SipMethod.Ack } request when request.CanBeAnswered:
                // A peer never registers or subscribes, and a kind without a handler takes no calls.
                Answer(connection, request, _ => SipResponses.Create(request, SipStatusCodes.Forbidden, SipRequests.NewTag()));
                break;
            default:
                message.Dispose();
                break;
        }
    }

    private void Answer(SipConnection connection, SipRequest request, Func<ServerNonInviteTransaction, SipResponse> respond)
    {
        var transaction = new ServerNonInviteTransaction(request, connection, _cleanup, scheduler, timers);
        if (transactions.TryAddServer(transaction))
        {
            transaction.SendResponse(respond(transaction));
        }
    }
}
