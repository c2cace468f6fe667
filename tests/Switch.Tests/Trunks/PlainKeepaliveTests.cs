using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
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
using HostedPbx.Switch.Sip.Transport.Udp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>
/// Issue 11: the OPTIONS keep-alive to a plain UDP trunk, through the real plain-trunk socket on loopback and on fake
/// time. The probe leaves over the trunk's flow as UDP, is retransmitted on Timer E while unanswered (RFC 3261 §17.1.2.2),
/// and the trunk's state is up on an answer and down after the set misses, as for TLS trunks.
/// </summary>
public sealed partial class PlainKeepaliveTests : IDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TransactionTable _transactions = new();
    private readonly SipTimers _timers = new();
    private readonly Socket _carrier = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly PlainTrunkSocket _socket;
    private readonly List<TrunkStateChange> _stored = [];
    private readonly PstnTrunk _trunk;
    private readonly TrunkKeepalive _keepalive;

    public PlainKeepaliveTests()
    {
        _carrier.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var carrierAt = (IPEndPoint)_carrier.LocalEndPoint!;
        var tenant = Guid.CreateVersion7();
        var id = Guid.CreateVersion7();
        var endpoint = new TrunkEndpoint("127.0.0.1", carrierAt.Port, TrunkTransport.Udp, "127.0.0.1", false, SrtpMode.Off, null, null, KeyPurpose.TrunkPassword(id));
        _trunk = new PstnTrunk(id, tenant, "Legacy", endpoint, 2, new PeerTarget(PeerKind.Trunk, "Legacy", id, tenant, "127.0.0.1", carrierAt.Port, "127.0.0.1", VerifyCertificate: false), PlainTransportAllowed: true);
        var limits = new SipConnectionLimits(TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), MaxConnectionsPerDevice: 10, MaxHandshakesPerAddress: 64);
        // Only what the keep-alive needs of the dispatcher: the carrier's answers reach their client transaction.
        _socket = new PlainTrunkSocket(
            new IPEndPoint(IPAddress.Loopback, 0), new ConnectionTable(), new TransactionsOnly(_transactions), limits, _time, NullLogger.Instance, _stop.Token);
        _socket.Update([new PlainPeer(new PeerIdentity(PeerKind.Trunk, "Legacy", id, tenant, "", "", false, "no certificate"), carrierAt)]);
        _ = _socket.RunAsync(_stop.Token);
        var directory = new PstnDirectory([], [], null, [_trunk]);
        // The flow comes from the same function trunk legs dial through.
        var services = new TrunkServices(() => directory, () => throw new InvalidOperationException("a plain trunk is not dialled over TLS"), new TrunkChannels(), null,
            new SwitchAudit(_time), NullLogger.Instance) { PlainTrunks = _socket };
        _keepalive = new TrunkKeepalive(
            () => directory, () => throw new InvalidOperationException("a plain trunk is not probed over TLS"),
            new KeepaliveSignalling(_transactions, new SipTimerScheduler(_time), _timers, "127.0.0.1:5061"), TimeSpan.FromSeconds(30), 2,
            (change, _) =>
            {
                _stored.Add(change);
                return Task.CompletedTask;
            },
            _time, NullLogger.Instance, services.PlainFlowAsync);
    }

    [Fact]
    public async Task Round_PlainTrunkAnswersOptions_SentOverUdpFromThePlainSocketAndTheTrunkIsUp()
    {
        var round = _keepalive.RoundAsync(_stop.Token);
        var (options, from) = await ReceiveAsync();
        await AnswerAsync(options, 200);
        await round;

        // RFC 3261 §18.1.1: from the plain-trunk socket, Via and Contact naming it over UDP.
        Assert.Equal(_socket.LocalEndPoint, from);
        Assert.StartsWith($"OPTIONS sip:127.0.0.1:{((IPEndPoint)_carrier.LocalEndPoint!).Port};transport=udp SIP/2.0\r\n", options, StringComparison.Ordinal);
        Assert.Contains($"Via: SIP/2.0/UDP {_socket.SentBy};branch=", options, StringComparison.Ordinal);
        Assert.Contains($"<sip:switch@{_socket.SentBy};transport=udp>", options, StringComparison.Ordinal);
        var change = Assert.Single(_stored);
        Assert.Equal((_trunk.Id, _trunk.TenantId, TrunkReachability.Up, _time.GetUtcNow(), "answered OPTIONS 200 OK"),
            (change.TrunkId, change.TenantId, change.State, change.Since, change.Reason));
    }

    [Fact]
    public async Task Rounds_PlainTrunkStopsAnswering_RetransmittedOnTimerEThenDownAfterTwoMissesAndUpOnItsNextAnswer()
    {
        var round = _keepalive.RoundAsync(_stop.Token);
        await AnswerAsync((await ReceiveAsync()).Text, 200);
        await round;
        var upSince = _time.GetUtcNow();

        // First miss: RFC 3261 §17.1.2.2, Timer E resends the same request after T1, then 2*T1, 4*T1 (doubling up to T2).
        _time.Advance(TimeSpan.FromSeconds(30));
        round = _keepalive.RoundAsync(_stop.Token);
        var first = (await ReceiveAsync()).Text;
        foreach (var interval in new[] { 0.5, 1, 2 })
        {
            _time.Advance(TimeSpan.FromSeconds(interval));
            Assert.Equal(Branch(first), Branch((await ReceiveAsync()).Text));
        }

        _time.Advance(TimeSpan.FromSeconds(30 - 3.5));
        await round;
        Assert.Equal((TrunkReachability.Up, upSince), (_keepalive.HealthOf(_trunk)!.State, _keepalive.HealthOf(_trunk)!.Since));

        // Second miss: down since then, with the reason.
        _time.Advance(TimeSpan.FromSeconds(30));
        round = _keepalive.RoundAsync(_stop.Token);
        await ReceiveAsync();
        _time.Advance(TimeSpan.FromSeconds(30));
        await round;
        var downSince = _time.GetUtcNow();
        Assert.Equal((TrunkReachability.Down, downSince, "no answer to OPTIONS within 30 s"),
            (_keepalive.HealthOf(_trunk)!.State, _keepalive.HealthOf(_trunk)!.Since, _keepalive.HealthOf(_trunk)!.Reason));

        // It answers again: up at once.
        _time.Advance(TimeSpan.FromSeconds(30));
        round = _keepalive.RoundAsync(_stop.Token);
        await AnswerAsync(await NextNewRequestAsync(), 405);
        await round;

        Assert.Equal([TrunkReachability.Up, TrunkReachability.Down, TrunkReachability.Up], _stored.Select(c => c.State));
        Assert.Equal([upSince, downSince, _time.GetUtcNow()], _stored.Select(c => c.Since));
    }

    [Fact]
    public async Task Round_PlainTrunkWithoutTheOperatorsLeave_MissWithTheReasonAndNothingSent()
    {
        var id = Guid.CreateVersion7();
        var refused = _trunk with { Id = id, Name = "Not allowed", PlainTransportAllowed = false, Target = _trunk.Target with { PeerId = id } };
        var directory = new PstnDirectory([], [], null, [refused]);
        var services = new TrunkServices(() => directory, () => throw new InvalidOperationException(), new TrunkChannels(), null, new SwitchAudit(_time), NullLogger.Instance)
        {
            PlainTrunks = _socket,
        };
        var keepalive = new TrunkKeepalive(
            () => directory, () => throw new InvalidOperationException("a plain trunk is not probed over TLS"),
            new KeepaliveSignalling(_transactions, new SipTimerScheduler(_time), _timers, "127.0.0.1:5061"), TimeSpan.FromSeconds(30), 1,
            (change, _) =>
            {
                _stored.Add(change);
                return Task.CompletedTask;
            },
            _time, NullLogger.Instance, services.PlainFlowAsync);

        await keepalive.RoundAsync(_stop.Token);

        var change = Assert.Single(_stored);
        Assert.Equal((id, TrunkReachability.Down), (change.TrunkId, change.State));
        Assert.Contains("has not allowed plain transport", change.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _carrier.Available);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _carrier.Dispose();
        _stop.Dispose();
    }

    [GeneratedRegex("branch=([^;\r\n]+)")]
    private static partial Regex BranchParameter();

    private static string Branch(string request) => BranchParameter().Match(request).Groups[1].Value;

    private async Task<(string Text, IPEndPoint From)> ReceiveAsync()
    {
        var buffer = new byte[4096];
        var received = await _carrier.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
        return (Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint);
    }

    /// <summary>The next OPTIONS of a new transaction: retransmissions of the last missed one may still be in the socket.</summary>
    private async Task<string> NextNewRequestAsync()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var text = (await ReceiveAsync()).Text;
            if (seen.Count > 0 && !seen.Contains(Branch(text)))
            {
                return text;
            }

            seen.Add(Branch(text));
        }
    }

    /// <summary>RFC 3261 §8.2.6.2: the answer copies Via, From, Call-ID and CSeq, and tags the To.</summary>
    private async Task AnswerAsync(string request, int status)
    {
        var copied = request.Split("\r\n").Where(line => line.StartsWith("Via:", StringComparison.Ordinal) || line.StartsWith("From:", StringComparison.Ordinal)
            || line.StartsWith("Call-ID:", StringComparison.Ordinal) || line.StartsWith("CSeq:", StringComparison.Ordinal));
        var to = request.Split("\r\n").First(line => line.StartsWith("To:", StringComparison.Ordinal));
        var phrase = status == 200 ? "OK" : "Method Not Allowed";
        var answer = $"SIP/2.0 {status} {phrase}\r\n{string.Join("\r\n", copied)}\r\n{to};tag=carrier\r\nContent-Length: 0\r\n\r\n";
        await _carrier.SendToAsync(Encoding.ASCII.GetBytes(answer), SocketFlags.None, _socket.LocalEndPoint, _stop.Token);
    }

    /// <summary>Messages on the flow go to their transaction, as the switch's dispatcher hands them first.</summary>
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
