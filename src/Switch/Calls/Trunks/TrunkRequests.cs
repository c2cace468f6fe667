using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// What a carrier's connection may ask of the switch, once no transaction took it: requests in a trunk leg's dialog (BYE,
/// re-INVITE, ACK...) go to the B2BUA, which accepts them only from that carrier; keep-alive OPTIONS are answered; a
/// carrier never transfers a call (REFER) and never registers or subscribes.
/// </summary>
internal sealed class TrunkRequests(
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
            case SipMethod.Ack or SipMethod.Bye or SipMethod.Invite or SipMethod.Info or SipMethod.Update or SipMethod.Notify or SipMethod.Prack
                when request.ToTag.Length > 0:
                calls.OnInDialog(connection, request, directory());
                break;
            case SipMethod.Ack:
                break;
            case SipMethod.Cancel:
                // No call from a carrier is ringing here yet, so there is nothing it could cancel (RFC 3261 §9.2).
                Answer(connection, request, SipStatusCodes.CallOrTransactionDoesNotExist, []);
                break;
            case SipMethod.Options:
                // RFC 3261 §11.2: the carrier's keep-alive.
                Answer(connection, request, SipStatusCodes.Ok, [("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS")]);
                break;
            case SipMethod.Invite:
                // Inbound calls from carriers to the tenants' numbers are not taken yet.
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
