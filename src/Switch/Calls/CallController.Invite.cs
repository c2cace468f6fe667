using System.Security.Cryptography;
using System.Text;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;

namespace HostedPbx.Switch.Calls;

internal sealed partial class CallController
{
    public void OnInvite(SipConnection connection, SipRequest invite, DeviceDirectory directory)
    {
        if (invite.ToTag.Length > 0)
        {
            OnReInvite(connection, invite, directory);
            return;
        }

        var transaction = new ServerInviteTransaction(invite, connection, new TransactionCleanup(transactions), scheduler, timers);
        if (!transactions.TryAddServer(transaction))
        {
            return;
        }

        transaction.Start();
        var tag = SipRequests.NewTag();
        var device = connection.Device;
        var callerUser = UserOf(invite.TryGetFrom(out var from) ? from.Uri : default);
        // DESIGN "Identity of a handset" step 5: a handset calls only as one of its own lines.
        if (callerUser is null || !device.Extensions.Contains(callerUser))
        {
            audit.Denied("sip.invite", $"INVITE from '{callerUser}' which is not a line of device {device.Mac}", device.TenantId, device.Mac,
                device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
            Fail(transaction, SipStatusCodes.Forbidden, tag);
            return;
        }

        // Routing stays inside the caller's tenant: the same number in another tenant is another extension.
        var calleeUser = UserOf(invite.RequestUri);
        if (calleeUser is null || !directory.TryFindExtension(device.TenantId, calleeUser, out _))
        {
            Fail(transaction, SipStatusCodes.NotFound, tag);
            return;
        }

        var targets = bindings.Find(device.TenantId, calleeUser, time.GetUtcNow())
            .Select(b => (Binding: b, Found: connections.TryGet(b.ConnectionId, out var c), Connection: c))
            .Where(t => t.Found && !t.Connection.IsClosed)
            .Select(t => (t.Binding, t.Connection))
            .ToList();
        if (targets.Count == 0)
        {
            Fail(transaction, SipStatusCodes.TemporarilyUnavailable, tag);
            return;
        }

        if (!SdpReader.TryRead(invite.Body, out var offer, out var sdpError))
        {
            Fail(transaction, SipStatusCodes.NotAcceptableHere, tag, $"No usable SDP offer: {sdpError}");
            return;
        }

        var media = relay.Open();
        if (media is null)
        {
            Fail(transaction, SipStatusCodes.ServiceUnavailable, tag, "No media ports free");
            return;
        }

        var suites = Suites(directory.SuitesOf(device.TenantId));
        var answer = SdesOfferAnswer.Answer(offer, Local(media.SideA, suites));
        if (!answer.IsAcceptable)
        {
            _ = media.DisposeAsync().AsTask();
            SwitchLog.OfferRefused(logger, invite.CallId, answer.NotAcceptableReason);
            Fail(transaction, SipStatusCodes.NotAcceptableHere, tag, answer.NotAcceptableReason);
            return;
        }

        // Each leg gets its own fresh keys: the callee never sees the caller's (DESIGN "Calls").
        var calleeOffer = SdesOfferAnswer.CreateOffer(Local(media.SideB, suites));
        var call = new Call(this, connection, transaction, callerUser, calleeUser, answer, calleeOffer, media);
        Track(call.CallerCallId, call);
        SwitchLog.CallStarted(logger, invite.CallId, callerUser, calleeUser, targets.Count);
        call.Start(targets);
    }

    public LocalMediaOptions Local(RelaySocketPair side, IReadOnlyList<SrtpSuite> suites) => new()
    {
        Address = relay.Address,
        RtpPort = side.RtpPort,
        RtcpPort = side.RtpPort + 1,
        SessionId = (ulong)RandomNumberGenerator.GetInt32(1, int.MaxValue),
        SessionVersion = (ulong)time.GetUtcNow().ToUnixTimeSeconds(),
        Suites = suites,
    };

    private void OnReInvite(SipConnection connection, SipRequest invite, DeviceDirectory directory)
    {
        if (!_calls.TryGetValue(invite.CallId, out var call))
        {
            var transaction = new ServerInviteTransaction(invite, connection, new TransactionCleanup(transactions), scheduler, timers);
            if (transactions.TryAddServer(transaction))
            {
                transaction.SendResponse(SipResponses.Create(invite, SipStatusCodes.CallOrTransactionDoesNotExist));
            }

            return;
        }

        var fromCaller = call.CallerCallId == invite.CallId;
        var side = fromCaller ? call.Media.SideA : call.Media.SideB;
        call.OnReInvite(connection, invite, fromCaller, Local(side, Suites(directory.SuitesOf(connection.Device.TenantId))));
    }

    private static void Fail(ServerInviteTransaction transaction, int status, string tag, string? reason = null) =>
        transaction.SendResponse(SipResponses.Create(transaction.Request, status, tag, reason: reason));

    private static List<SrtpSuite> Suites(IEnumerable<string> names) =>
        [.. names.Select(n => SrtpSuiteProfile.TryParse(n, out var suite) ? (SrtpSuite?)suite : null).OfType<SrtpSuite>()];

    private static string? UserOf(ReadOnlySpan<byte> uri) =>
        SipUri.TryParse(uri, out var parsed) && parsed.HasUser ? Encoding.UTF8.GetString(parsed.User) : null;
}
