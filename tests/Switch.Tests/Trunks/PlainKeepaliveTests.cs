using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Calls.Trunks.Keepalive;
using HostedPbx.Switch.Sip.Transport.Udp;
using HostedPbx.Switch.Tests.Pstn;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>
/// Issue 11: the OPTIONS keep-alive to a plain UDP trunk, through the real plain-trunk socket on loopback and on fake
/// time. The probe leaves over the trunk's flow as UDP, is retransmitted on Timer E while unanswered (RFC 3261 §17.1.2.2),
/// and the trunk's state is up on an answer and down after the set misses, as for TLS trunks.
/// </summary>
public sealed partial class PlainKeepaliveTests : IDisposable
{
    private readonly PlainTrunkScene _scene = new();
    private readonly Socket _carrier = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly PlainTrunkSocket _socket;
    private readonly PstnTrunk _trunk;
    private readonly TrunkKeepalive _keepalive;

    public PlainKeepaliveTests()
    {
        _carrier.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var carrierAt = (IPEndPoint)_carrier.LocalEndPoint!;
        _trunk = PlainTrunkScene.Trunk("Legacy", carrierAt, TrunkTransport.Udp);
        _socket = _scene.Socket(_scene.TransactionsOnly);
        _socket.Update([PlainTrunkScene.Peer(_trunk, carrierAt)]);
        // The flow comes from the same function trunk legs dial through.
        _keepalive = _scene.Keepalive(_trunk, _scene.Services(_trunk, udp: _socket));
    }

    [Fact]
    public async Task Round_PlainTrunkAnswersOptions_SentOverUdpFromThePlainSocketAndTheTrunkIsUp()
    {
        var round = _keepalive.RoundAsync(_scene.Stop);
        var (options, from) = await ReceiveAsync();
        await AnswerAsync(options, 200);
        await round;

        // RFC 3261 §18.1.1: from the plain-trunk socket, Via and Contact naming it over UDP.
        Assert.Equal(_socket.LocalEndPoint, from);
        Assert.StartsWith($"OPTIONS sip:127.0.0.1:{((IPEndPoint)_carrier.LocalEndPoint!).Port};transport=udp SIP/2.0\r\n", options, StringComparison.Ordinal);
        Assert.Contains($"Via: SIP/2.0/UDP {_socket.SentBy};branch=", options, StringComparison.Ordinal);
        Assert.Contains($"<sip:switch@{_socket.SentBy};transport=udp>", options, StringComparison.Ordinal);
        var change = Assert.Single(_scene.Stored);
        Assert.Equal((_trunk.Id, _trunk.TenantId, TrunkReachability.Up, _scene.Time.GetUtcNow(), "answered OPTIONS 200 OK"),
            (change.TrunkId, change.TenantId, change.State, change.Since, change.Reason));
    }

    [Fact]
    public async Task Rounds_PlainTrunkStopsAnswering_RetransmittedOnTimerEThenDownAfterTwoMissesAndUpOnItsNextAnswer()
    {
        var round = _keepalive.RoundAsync(_scene.Stop);
        await AnswerAsync((await ReceiveAsync()).Text, 200);
        await round;
        var upSince = _scene.Time.GetUtcNow();

        // First miss: RFC 3261 §17.1.2.2, Timer E resends the same request after T1, then 2*T1, 4*T1 (doubling up to T2).
        _scene.Time.Advance(TimeSpan.FromSeconds(30));
        round = _keepalive.RoundAsync(_scene.Stop);
        var first = (await ReceiveAsync()).Text;
        foreach (var interval in new[] { 0.5, 1, 2 })
        {
            _scene.Time.Advance(TimeSpan.FromSeconds(interval));
            Assert.Equal(Branch(first), Branch((await ReceiveAsync()).Text));
        }

        _scene.Time.Advance(TimeSpan.FromSeconds(30 - 3.5));
        await round;
        Assert.Equal((TrunkReachability.Up, upSince), (_keepalive.HealthOf(_trunk)!.State, _keepalive.HealthOf(_trunk)!.Since));

        // Second miss: down since then, with the reason.
        _scene.Time.Advance(TimeSpan.FromSeconds(30));
        round = _keepalive.RoundAsync(_scene.Stop);
        await ReceiveAsync();
        _scene.Time.Advance(TimeSpan.FromSeconds(30));
        await round;
        var downSince = _scene.Time.GetUtcNow();
        Assert.Equal((TrunkReachability.Down, downSince, "no answer to OPTIONS within 30 s"),
            (_keepalive.HealthOf(_trunk)!.State, _keepalive.HealthOf(_trunk)!.Since, _keepalive.HealthOf(_trunk)!.Reason));

        // It answers again: up at once.
        _scene.Time.Advance(TimeSpan.FromSeconds(30));
        round = _keepalive.RoundAsync(_scene.Stop);
        await AnswerAsync(await NextNewRequestAsync(), 405);
        await round;

        Assert.Equal([TrunkReachability.Up, TrunkReachability.Down, TrunkReachability.Up], _scene.Stored.Select(c => c.State));
        Assert.Equal([upSince, downSince, _scene.Time.GetUtcNow()], _scene.Stored.Select(c => c.Since));
    }

    [Fact]
    public async Task Round_PlainTrunkWithoutTheOperatorsLeave_MissWithTheReasonAndNothingSent()
    {
        var id = Guid.CreateVersion7();
        var refused = _trunk with { Id = id, Name = "Not allowed", PlainTransportAllowed = false, Target = _trunk.Target with { PeerId = id } };
        var keepalive = _scene.Keepalive(refused, _scene.Services(refused, udp: _socket), missesToDown: 1);

        await keepalive.RoundAsync(_scene.Stop);

        var change = Assert.Single(_scene.Stored);
        Assert.Equal((id, TrunkReachability.Down), (change.TrunkId, change.State));
        Assert.Contains("has not allowed plain transport", change.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _carrier.Available);
    }

    public void Dispose()
    {
        _scene.Dispose();
        _carrier.Dispose();
    }

    [GeneratedRegex("branch=([^;\r\n]+)")]
    private static partial Regex BranchParameter();

    private static string Branch(string request) => BranchParameter().Match(request).Groups[1].Value;

    private async Task<(string Text, IPEndPoint From)> ReceiveAsync()
    {
        var buffer = new byte[4096];
        var received = await _carrier.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _scene.Stop);
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

    private async Task AnswerAsync(string request, int status) =>
        await _carrier.SendToAsync(Encoding.ASCII.GetBytes(PlainTrunkScene.Answer(request, status)), SocketFlags.None, _socket.LocalEndPoint, _scene.Stop);
}
