using System.Net;
using System.Net.Sockets;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Calls.Trunks.Keepalive;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Tcp;
using HostedPbx.Switch.Sip.Transport.Udp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// Issue 11: the switch toward a plain TCP trunk, with a real loopback listener as the carrier (127.0.0.2). The keep-alive
/// dials through the same function trunk legs do (<see cref="TrunkServices.PlainFlowAsync"/>): the switch connects to the
/// trunk's address, sends with Via and Contact naming TCP and its plain-trunk listener (RFC 3261 §18.1.1), and reuses
/// the one connection; a trunk the operator did not allow plain is never dialled.
/// </summary>
public sealed class PlainTcpKeepaliveTests : IDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TransactionTable _transactions = new();
    private readonly Socket _carrierListener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly PlainTcpTrunks _trunks;
    private readonly List<TrunkStateChange> _stored = [];
    private readonly PstnTrunk _trunk;

    public PlainTcpKeepaliveTests()
    {
        _carrierListener.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        _carrierListener.Listen(4);
        var carrierAt = (IPEndPoint)_carrierListener.LocalEndPoint!;
        var tenant = Guid.CreateVersion7();
        var id = Guid.CreateVersion7();
        var endpoint = new TrunkEndpoint("127.0.0.2", carrierAt.Port, TrunkTransport.Tcp, "127.0.0.2", false, SrtpMode.Off, null, null, KeyPurpose.TrunkPassword(id));
        _trunk = new PstnTrunk(
            id, tenant, "Legacy TCP", endpoint, 2, new PeerTarget(PeerKind.Trunk, "Legacy TCP", id, tenant, "127.0.0.2", carrierAt.Port, "127.0.0.2", VerifyCertificate: false),
            PlainTransportAllowed: true);
        var limits = new SipConnectionLimits(TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), MaxConnectionsPerDevice: 10, MaxHandshakesPerAddress: 64);
        _trunks = new PlainTcpTrunks(
            new IPEndPoint(IPAddress.Loopback, 0), new ConnectionTable(), new TransactionsOnly(_transactions), limits, _time, NullLogger.Instance, _stop.Token);
        _trunks.Update([new PlainPeer(new PeerIdentity(PeerKind.Trunk, "Legacy TCP", id, tenant, "", "", false, "no certificate"), carrierAt, TrunkTransport.Tcp)]);
    }

    [Fact]
    public async Task Rounds_PlainTcpTrunkAnswers_OptionsOverOneReusedConnectionNamingTcpAndTheTrunkIsUp()
    {
        var keepalive = Keepalive(_trunk);
        var round = keepalive.RoundAsync(_stop.Token);
        using var carrier = new PlainTcpCarrier(await _carrierListener.AcceptAsync(_stop.Token));
        var first = (await carrier.ReadAsync(_stop.Token))!;
        await carrier.SendAsync(Answer(first), _stop.Token);
        await round;

        _time.Advance(TimeSpan.FromSeconds(30));
        round = keepalive.RoundAsync(_stop.Token);
        // RFC 3261 §18.1.1: the next request reuses the open connection (a new one would leave this read waiting).
        var second = (await carrier.ReadAsync(_stop.Token))!;
        await carrier.SendAsync(Answer(second), _stop.Token);
        await round;

        var port = ((IPEndPoint)_carrierListener.LocalEndPoint!).Port;
        Assert.StartsWith($"OPTIONS sip:127.0.0.2:{port};transport=tcp SIP/2.0\r\n", first, StringComparison.Ordinal);
        Assert.Contains($"Via: SIP/2.0/TCP {_trunks.SentBy};branch=", first, StringComparison.Ordinal);
        Assert.Contains($"<sip:switch@{_trunks.SentBy};transport=tcp>", first, StringComparison.Ordinal);
        Assert.StartsWith("OPTIONS ", second, StringComparison.Ordinal);
        Assert.NotEqual(Header(first, "Call-ID"), Header(second, "Call-ID"));
        var change = Assert.Single(_stored);
        Assert.Equal((_trunk.Id, TrunkReachability.Up, "answered OPTIONS 200 OK"), (change.TrunkId, change.State, change.Reason));
        Assert.False(_carrierListener.Poll(0, SelectMode.SelectRead));
    }

    [Fact]
    public async Task PlainFlowAsync_TcpTrunkWithoutTheOperatorsLeave_RefusedWithTheReasonAndNeverDialled()
    {
        var refused = _trunk with { PlainTransportAllowed = false };

        var outcome = await Services().PlainFlowAsync(refused, _stop.Token);

        Assert.False(outcome.Succeeded);
        Assert.Contains("has not allowed plain transport", outcome.Failure, StringComparison.Ordinal);
        Assert.False(_carrierListener.Poll(0, SelectMode.SelectRead));
    }

    [Fact]
    public async Task PlainFlowAsync_NothingListensAtTheTrunksAddress_RefusedWithTheReason()
    {
        _carrierListener.Close();

        var outcome = await Services().PlainFlowAsync(_trunk, _stop.Token);

        Assert.False(outcome.Succeeded);
        Assert.Contains("ConnectionRefused", outcome.Failure, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _trunks.Dispose();
        _carrierListener.Dispose();
        _stop.Dispose();
    }

    private static string Header(string message, string name) =>
        message.Split("\r\n").First(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>RFC 3261 §8.2.6.2: the answer copies Via, From, Call-ID and CSeq, and tags the To.</summary>
    private static string Answer(string request) =>
        $"SIP/2.0 200 OK\r\n{Header(request, "Via")}\r\n{Header(request, "From")}\r\n{Header(request, "Call-ID")}\r\n{Header(request, "CSeq")}\r\n"
        + $"{Header(request, "To")};tag=carrier\r\nContent-Length: 0\r\n\r\n";

    private TrunkServices Services()
    {
        var directory = new PstnDirectory([], [], null, [_trunk]);
        return new TrunkServices(() => directory, () => throw new InvalidOperationException("a plain trunk is not dialled over TLS"), new TrunkChannels(), null,
            new SwitchAudit(_time), NullLogger.Instance) { PlainTcpTrunks = _trunks };
    }

    private TrunkKeepalive Keepalive(PstnTrunk trunk)
    {
        var directory = new PstnDirectory([], [], null, [trunk]);
        return new TrunkKeepalive(
            () => directory, () => throw new InvalidOperationException("a plain trunk is not probed over TLS"),
            new KeepaliveSignalling(_transactions, new SipTimerScheduler(_time), new SipTimers(), "127.0.0.1:5061"), TimeSpan.FromSeconds(30), 2,
            (change, _) =>
            {
                _stored.Add(change);
                return Task.CompletedTask;
            },
            _time, NullLogger.Instance, Services().PlainFlowAsync);
    }

    /// <summary>Messages on the connection go to their transaction, as the switch's dispatcher hands them first.</summary>
    private sealed class TransactionsOnly(TransactionTable transactions) : ISipConnectionHandler
    {
        public void OnMessage(SipConnection connection, SipMessage message)
        {
            using (message)
            {
                transactions.TryDispatch(message);
            }
        }

        public void OnClosed(SipConnection connection)
        {
        }
    }
}
