using System.Text;
using HostedPbx.Data.Voicemail;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// Message waiting for handsets that never SUBSCRIBE (issue 9 item 3; which ones: <see cref="UnsolicitedMessageWaiting"/>):
/// each registered line is sent an out-of-dialog NOTIFY with the RFC 3842 summary when it registers and after every
/// change to its mailbox, over the flow it registered on.
/// </summary>
internal sealed partial class MailboxSubscriptions
{
    private readonly List<UnsolicitedLine> _unsolicited = [];

    /// <summary>The number of lines told of their mailbox without a subscription.</summary>
    public int UnsolicitedCount
    {
        get
        {
            lock (_gate)
            {
                return _unsolicited.Count;
            }
        }
    }

    /// <summary>A REGISTER on <paramref name="connection"/> succeeded: its lines, as bound now, are told of their mailboxes.</summary>
    public void OnRegistered(SipConnection connection, BindingTable bindings, DeviceDirectory directory)
    {
        var device = connection.Device;
        if (!directory.TryFindDevice(device.Mac, out var known) || !UnsolicitedMessageWaiting.Expects(known.Vendor))
        {
            return;
        }

        var now = time.GetUtcNow();
        List<UnsolicitedLine> lines = [.. device.Extensions
            .SelectMany(number => bindings.Find(device.TenantId, number, now))
            .Where(b => b.ConnectionId == connection.Id)
            .Select(b => new UnsolicitedLine(connection.Id, b.ExtensionId, b.Extension, b.ContactUri))];
        lock (_gate)
        {
            // A REGISTER that removed a line (Expires 0) leaves it out: it is no longer told.
            _unsolicited.RemoveAll(l => l.ConnectionId == connection.Id);
            _unsolicited.AddRange(lines);
        }

        foreach (var line in lines)
        {
            _ = NotifyUnsolicitedAsync(line);
        }
    }

    private void NotifyUnsolicited(Guid extensionId)
    {
        List<UnsolicitedLine> lines;
        lock (_gate)
        {
            lines = [.. _unsolicited.Where(l => l.ExtensionId == extensionId)];
        }

        foreach (var line in lines)
        {
            _ = NotifyUnsolicitedAsync(line);
        }
    }

    private async Task NotifyUnsolicitedAsync(UnsolicitedLine line)
    {
        var host = sentBy.Split(':')[0];
        var account = $"sip:{line.Number}@{host}";
        try
        {
            var counts = await store.CountAsync(line.ExtensionId, CancellationToken.None);
            if (!connections.TryGet(line.ConnectionId, out var connection) || connection.IsClosed)
            {
                return;
            }

            // RFC 3842 §5.2 body, in a NOTIFY outside any dialog: no Subscription-State, as these handsets expect.
            var notify = SipRequests.Create(
                "NOTIFY", line.ContactUri, sentBy, $"<sip:switch@{host}>;tag={SipRequests.NewTag()}", $"<sip:{line.Number}@{host}>",
                SipRequests.NewCallId(host), 1, Contact, Encoding.ASCII.GetBytes(Summary(counts, account)), "application/simple-message-summary",
                [(KnownHeader.Event, EventPackage)]);
            var transaction = new ClientNonInviteTransaction(notify, connection, new TransactionCleanup(transactions), scheduler, timers);
            if (transactions.TryAddClient(transaction))
            {
                transaction.Start();
            }

            SwitchLog.MessageWaitingNotified(logger, account, counts.New, counts.Old);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SwitchLog.MessageWaitingFailed(logger, account, ex);
        }
    }

    // RFC 3842 §5.2: the message summary body; "Voice-Message: new/old".
    private static string Summary(MessageWaiting counts, string account) =>
        $"Messages-Waiting: {(counts.Waiting ? "yes" : "no")}\r\nMessage-Account: {account}\r\nVoice-Message: {counts.New}/{counts.Old}\r\n";
}
