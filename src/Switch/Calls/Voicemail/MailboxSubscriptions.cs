using System.Globalization;
using System.Text;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Dialogs;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// Message waiting (RFC 3842 on RFC 6665): a handset SUBSCRIBEs to "message-summary" for one of its own lines, over its
/// own connection; the switch answers 200, NOTIFYs the counts at once and again after every change to that mailbox
/// (the database tells it, from any channel), and lets the subscription lapse at its expiry unless refreshed.
/// A SUBSCRIBE for someone else's mailbox gets 403, and a refresh from another connection 481; both are audited.
/// </summary>
internal sealed partial class MailboxSubscriptions(
    MailboxStore store, TransactionTable transactions, SipTimerScheduler scheduler, SipTimers timers, ConnectionTable connections, string sentBy,
    SwitchAudit audit, TimeProvider time, ILogger logger)
{
    public const string EventPackage = "message-summary";
    private const int MinExpires = 60;
    private const int MaxExpires = 3600;

    private readonly Lock _gate = new();
    private readonly Dictionary<DialogKey, MailboxSubscription> _subscriptions = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    public void OnSubscribe(SipConnection connection, SipRequest request, DeviceDirectory directory)
    {
        var device = connection.Device;

        // RFC 6665 §7.2.1: a subscription to an event package we do not serve is refused 489 Bad Event.
        if (!request.TryGetHeader(KnownHeader.Event, out var eventHeader) || !IsMessageSummary(eventHeader))
        {
            Respond(connection, request, 489, null, [("Allow-Events", EventPackage)], "Bad Event");
            return;
        }

        var expires = RequestedExpires(request);
        if (request.ToTag.Length > 0)
        {
            Refresh(connection, request, expires);
            return;
        }

        // DESIGN "Identity of a handset" step 5: a handset may watch only the mailbox of one of its own lines.
        var user = SipUri.TryParse(request.RequestUri, out var uri) && uri.HasUser ? Encoding.UTF8.GetString(uri.User) : null;
        if (user is null || !device.Extensions.Contains(user) || !directory.TryFindExtension(device.TenantId, user, out var extension))
        {
            audit.Denied("sip.subscribe", $"SUBSCRIBE to the mailbox of '{PeerText.Bound(user)}' which is not a line of device {device.Mac}",
                device.TenantId, device.Mac, device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
            Respond(connection, request, SipStatusCodes.Forbidden, SipRequests.NewTag(), []);
            return;
        }

        // RFC 6665 §4.1.2: the SUBSCRIBE makes a dialog, so it must say where the NOTIFYs go.
        if (!HandsetLeg.HasContact(request))
        {
            Respond(connection, request, SipStatusCodes.BadRequest, null, [], "Missing Contact");
            return;
        }

        var tag = SipRequests.NewTag();
        var ok = Respond(connection, request, SipStatusCodes.Ok, tag, [("Expires", expires.ToString(CultureInfo.InvariantCulture)), ("Contact", Contact)]);
        if (ok is null || !Dialog.TryCreateAsUas(request, ok, out var dialog))
        {
            return;
        }

        var subscription = new MailboxSubscription(dialog!, connection.Id, extension.Id, $"sip:{extension.Number}@{sentBy.Split(':')[0]}");
        if (expires > 0)
        {
            lock (_gate)
            {
                _subscriptions[dialog!.Key] = subscription;
            }

            Arm(subscription, expires);
        }

        // RFC 6665 §4.2.1.2: a NOTIFY at once, with the state now (or "terminated" for a fetch with Expires 0).
        _ = NotifyAsync(subscription, expires == 0);
    }

    /// <summary>The database says a message of <paramref name="extensionId"/> changed: every subscriber hears the new counts.</summary>
    public void OnMailboxChanged(Guid extensionId)
    {
        List<MailboxSubscription> watching;
        lock (_gate)
        {
            watching = [.. _subscriptions.Values.Where(s => s.ExtensionId == extensionId)];
        }

        foreach (var subscription in watching)
        {
            _ = NotifyAsync(subscription, terminated: false);
        }

        NotifyUnsolicited(extensionId);
    }

    public void OnConnectionClosed(long connectionId)
    {
        lock (_gate)
        {
            foreach (var (key, subscription) in _subscriptions.Where(s => s.Value.ConnectionId == connectionId).ToList())
            {
                subscription.Expiry?.Dispose();
                _subscriptions.Remove(key);
            }

            _unsolicited.RemoveAll(l => l.ConnectionId == connectionId);
        }
    }

    private string Contact => $"<sip:switch@{sentBy};transport=tls>";

    private void Refresh(SipConnection connection, SipRequest request, int expires)
    {
        MailboxSubscription? subscription;
        lock (_gate)
        {
            _subscriptions.TryGetValue(DialogKey.ForIncomingRequest(request), out subscription);
        }

        // RFC 6665 §4.2.1.2: a refresh of a subscription we do not have is 481; so is one from another connection.
        if (subscription is null || subscription.ConnectionId != connection.Id)
        {
            if (subscription is not null)
            {
                var device = connection.Device;
                audit.Denied("sip.subscribe", $"SUBSCRIBE refresh of another device's subscription (Call-ID {PeerText.Bound(request.CallId)}) from device {device.Mac}",
                    device.TenantId, device.Mac, device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
            }

            Respond(connection, request, SipStatusCodes.CallOrTransactionDoesNotExist, null, []);
            return;
        }

        Respond(connection, request, SipStatusCodes.Ok, null, [("Expires", expires.ToString(CultureInfo.InvariantCulture))]);
        subscription.Expiry?.Dispose();
        if (expires == 0)
        {
            Remove(subscription);
        }
        else
        {
            Arm(subscription, expires);
        }

        _ = NotifyAsync(subscription, expires == 0);
    }

    private void Arm(MailboxSubscription subscription, int expires)
    {
        subscription.ExpiresAt = time.GetUtcNow().AddSeconds(expires);
        subscription.Expiry = time.CreateTimer(
            static s =>
            {
                var (self, lapsed) = ((MailboxSubscriptions, MailboxSubscription))s!;

                // RFC 6665 §4.2.2: at its expiry the subscription ends, with a final NOTIFY saying so.
                self.Remove(lapsed);
                _ = self.NotifyAsync(lapsed, terminated: true);
            },
            (this, subscription), TimeSpan.FromSeconds(expires), Timeout.InfiniteTimeSpan);
    }

    private void Remove(MailboxSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription.Dialog.Key);
        }
    }

    private async Task NotifyAsync(MailboxSubscription subscription, bool terminated)
    {
        try
        {
            var counts = await store.CountAsync(subscription.ExtensionId, CancellationToken.None);
            if (!connections.TryGet(subscription.ConnectionId, out var connection) || connection.IsClosed)
            {
                return;
            }

            var body = Summary(counts, subscription.Account);
            var remaining = Math.Max(0, (int)(subscription.ExpiresAt - time.GetUtcNow()).TotalSeconds);
            SipRequest notify;
            lock (subscription.Gate)
            {
                notify = subscription.Dialog.CreateRequest(
                    SipMethod.Notify, Encoding.ASCII.GetBytes($"SIP/2.0/TLS {sentBy};branch={TransactionKey.CreateBranch()};rport"),
                    Encoding.ASCII.GetBytes(Contact), "application/simple-message-summary"u8, Encoding.ASCII.GetBytes(body),
                    [("Event", EventPackage), ("Subscription-State", terminated ? "terminated;reason=timeout" : $"active;expires={remaining}")]);
            }

            var transaction = new ClientNonInviteTransaction(notify, connection, new TransactionCleanup(transactions), scheduler, timers);
            if (transactions.TryAddClient(transaction))
            {
                transaction.Start();
            }

            SwitchLog.MessageWaitingNotified(logger, subscription.Account, counts.New, counts.Old);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SwitchLog.MessageWaitingFailed(logger, subscription.Account, ex);
        }
    }

    private SipResponse? Respond(SipConnection connection, SipRequest request, int status, string? tag, IEnumerable<(string, string)> headers, string? reason = null)
    {
        var transaction = new ServerNonInviteTransaction(request, connection, new TransactionCleanup(transactions), scheduler, timers);
        if (!transactions.TryAddServer(transaction))
        {
            return null;
        }

        var response = SipResponses.Create(request, status, tag, headers.Where(h => h.Item2.Length > 0), reason: reason);
        transaction.SendResponse(response);
        return response;
    }

    // RFC 6665 §4.1.2.1 and RFC 3842 §3: Expires, bounded; a SUBSCRIBE without one gets the package's default (an hour).
    private static int RequestedExpires(SipRequest request)
    {
        if (!request.TryGetHeader(KnownHeader.Expires, out var value) || !int.TryParse(Encoding.ASCII.GetString(value).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return MaxExpires;
        }

        return seconds == 0 ? 0 : Math.Clamp(seconds, MinExpires, MaxExpires);
    }

    // RFC 6665 §8.2.1: the event package token, parameters after ';' aside; tokens compare case-insensitively.
    private static bool IsMessageSummary(ReadOnlySpan<byte> value)
    {
        var semicolon = value.IndexOf((byte)';');
        var token = (semicolon < 0 ? value : value[..semicolon]).Trim(" \t"u8);
        return Ascii.EqualsIgnoreCase(token, "message-summary"u8);
    }
}
