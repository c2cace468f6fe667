using System.Net;
using System.Net.Sockets;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Sip.Transport.Tcp;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// Issue 11: the switch toward a plain TCP trunk, with a real loopback listener as the carrier (127.0.0.2). The keep-alive
/// dials through the same function trunk legs do (<see cref="TrunkServices.PlainFlowAsync"/>): the switch connects to the
/// trunk's address, sends with Via and Contact naming TCP and its plain-trunk listener (RFC 3261 §18.1.1), and reuses
/// the one connection; a trunk the operator did not allow plain is never dialled.
/// </summary>
public sealed class PlainTcpKeepaliveTests : IDisposable
{
    private readonly PlainTrunkScene _scene = new();
    private readonly Socket _carrierListener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly PlainTcpTrunks _trunks;
    private readonly PstnTrunk _trunk;

    public PlainTcpKeepaliveTests()
    {
        _carrierListener.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        _carrierListener.Listen(4);
        var carrierAt = (IPEndPoint)_carrierListener.LocalEndPoint!;
        _trunk = PlainTrunkScene.Trunk("Legacy TCP", carrierAt, TrunkTransport.Tcp);
        _trunks = _scene.Tcp(_scene.TransactionsOnly, accepting: false);
        _trunks.Update([PlainTrunkScene.Peer(_trunk, carrierAt)]);
    }

    [Fact]
    public async Task Rounds_PlainTcpTrunkAnswers_OptionsOverOneReusedConnectionNamingTcpAndTheTrunkIsUp()
    {
        var keepalive = _scene.Keepalive(_trunk, Services());
        var round = keepalive.RoundAsync(_scene.Stop);
        using var carrier = new PlainTcpCarrier(await _carrierListener.AcceptAsync(_scene.Stop));
        var first = (await carrier.ReadAsync(_scene.Stop))!;
        await carrier.SendAsync(PlainTrunkScene.Answer(first, 200), _scene.Stop);
        await round;

        _scene.Time.Advance(TimeSpan.FromSeconds(30));
        round = keepalive.RoundAsync(_scene.Stop);
        // RFC 3261 §18.1.1: the next request reuses the open connection (a new one would leave this read waiting).
        var second = (await carrier.ReadAsync(_scene.Stop))!;
        await carrier.SendAsync(PlainTrunkScene.Answer(second, 200), _scene.Stop);
        await round;

        var port = ((IPEndPoint)_carrierListener.LocalEndPoint!).Port;
        Assert.StartsWith($"OPTIONS sip:127.0.0.2:{port};transport=tcp SIP/2.0\r\n", first, StringComparison.Ordinal);
        Assert.Contains($"Via: SIP/2.0/TCP {_trunks.SentBy};branch=", first, StringComparison.Ordinal);
        Assert.Contains($"<sip:switch@{_trunks.SentBy};transport=tcp>", first, StringComparison.Ordinal);
        Assert.StartsWith("OPTIONS ", second, StringComparison.Ordinal);
        Assert.NotEqual(PlainTrunkScene.Header(first, "Call-ID"), PlainTrunkScene.Header(second, "Call-ID"));
        var change = Assert.Single(_scene.Stored);
        Assert.Equal((_trunk.Id, TrunkReachability.Up, "answered OPTIONS 200 OK"), (change.TrunkId, change.State, change.Reason));
        Assert.False(_carrierListener.Poll(0, SelectMode.SelectRead));
    }

    [Fact]
    public async Task PlainFlowAsync_TcpTrunkWithoutTheOperatorsLeave_RefusedWithTheReasonAndNeverDialled()
    {
        var refused = _trunk with { PlainTransportAllowed = false };

        var outcome = await Services().PlainFlowAsync(refused, _scene.Stop);

        Assert.False(outcome.Succeeded);
        Assert.Contains("has not allowed plain transport", outcome.Failure, StringComparison.Ordinal);
        Assert.False(_carrierListener.Poll(0, SelectMode.SelectRead));
    }

    [Fact]
    public async Task PlainFlowAsync_NothingListensAtTheTrunksAddress_RefusedWithTheReason()
    {
        _carrierListener.Close();

        var outcome = await Services().PlainFlowAsync(_trunk, _scene.Stop);

        Assert.False(outcome.Succeeded);
        Assert.Contains("ConnectionRefused", outcome.Failure, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _scene.Dispose();
        _carrierListener.Dispose();
    }

    private TrunkServices Services() => _scene.Services(_trunk, tcp: _trunks);
}
