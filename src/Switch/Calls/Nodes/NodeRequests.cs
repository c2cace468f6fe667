using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Nodes;

/// <summary>
/// What another switch node's connection may ask of this one, once no transaction took it (issue 14): a new INVITE for a
/// handset registered here (the controller checks the node's assertion), requests in a node leg's dialog (accepted only
/// from that node), CANCEL of its own INVITE, and keep-alive OPTIONS. A node never registers, subscribes or transfers.
/// </summary>
internal sealed class NodeRequests(
    TransactionTable transactions, SipTimerScheduler scheduler, SipTimers timers, CallController calls, Func<DeviceDirectory> directory) : ISipConnectionHandler
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
            case SipMethod.Invite:
                calls.OnInvite(connection, request, directory());
                break;
            case SipMethod.Ack or SipMethod.Bye or SipMethod.Info or SipMethod.Update or SipMethod.Notify or SipMethod.Prack when request.ToTag.Length > 0:
                calls.OnInDialog(connection, request, directory());
                break;
            case SipMethod.Ack:
                break;
            case SipMethod.Cancel:
                calls.OnCancel(connection, request);
                break;
            case SipMethod.Options:
                // RFC 3261 §11.2: the other node's keep-alive.
                Answer(connection, request, SipStatusCodes.Ok);
                break;
            default:
                Answer(connection, request, SipStatusCodes.Forbidden);
                break;
        }
    }

    public void OnClosed(SipConnection connection)
    {
    }

    private void Answer(SipConnection connection, SipRequest request, int status)
    {
        var transaction = new ServerNonInviteTransaction(request, connection, _cleanup, scheduler, timers);
        if (transactions.TryAddServer(transaction))
        {
            transaction.SendResponse(SipResponses.Create(request, status, SipRequests.NewTag(), status == SipStatusCodes.Ok ? [("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS")] : []));
        }
    }
}
