using System.Net;
using System.Net.Sockets;
using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Udp;
using HostedPbx.Switch.Tests.Transport;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// Issue 11: the plain-trunk UDP socket on real loopback sockets. Only a configured plain trunk's address is heard; a
/// stranger's datagram is dropped and counted, never answered; a trunk's flow is unreliable (the transactions retransmit).
/// </summary>
public sealed class PlainTrunkSocketTests : IDisposable
{
    private readonly PlainTrunkScene _scene = new();
    private readonly RecordingConnectionHandler _handler = new();
    private readonly PlainTrunkSocket _socket;

    public PlainTrunkSocketTests() => _socket = _scene.Socket(_handler);

    [Fact]
    public async Task Receive_StrangerThenTrunk_StrangerDroppedUnansweredAndTrunksRequestDelivered()
    {
        using var trunk = Bound();
        using var stranger = Bound();
        _socket.Update([Peer("legacy", trunk)]);

        await SendAsync(stranger, Options("stranger-call"));
        await SendAsync(trunk, Options("trunk-call"));
        using var delivered = await _handler.NextAsync(_scene.Stop);

        // The socket reads in order: once the trunk's request is up, the stranger's was already dropped.
        Assert.Equal("trunk-call", delivered.CallId);
        Assert.Equal(1, _socket.Dropped);
        Assert.Equal(0, stranger.Available);
    }

    [Fact]
    public async Task Send_OnTrunksFlow_IsUnreliableAndLeavesAsOneDatagramToTheTrunksAddressFromTheSocket()
    {
        using var trunk = Bound();
        _socket.Update([Peer("legacy", trunk)]);
        var flow = _socket.FlowOf(s_peerIds["legacy"])!;
        await SendAsync(trunk, Options("ping"));
        using var request = (SipRequest)await _handler.NextAsync(_scene.Stop);

        using var ok = SipResponses.Create(request, SipStatusCodes.Ok, "t1");
        flow.Send(ok);
        var buffer = new byte[4096];
        var from = new IPEndPoint(IPAddress.Any, 0);
        var received = await trunk.ReceiveFromAsync(buffer, SocketFlags.None, from, _scene.Stop);

        // RFC 3261 §17.1.1.2: over UDP the transactions on this flow run Timers A, E and G.
        Assert.False(flow.IsReliable);
        Assert.Equal(Data.Entities.SignallingTransport.Udp, flow.Transport);
        Assert.Equal(_socket.SentBy, flow.LocalSentBy);
        Assert.Equal(_socket.LocalEndPoint, received.RemoteEndPoint);
        Assert.StartsWith("SIP/2.0 200 OK\r\n", Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_TrunkNoLongerAllowed_ItsFlowClosesAndItsDatagramsAreDropped()
    {
        using var removed = Bound();
        using var kept = Bound();
        _socket.Update([Peer("legacy", removed), Peer("other", kept)]);
        var flow = _socket.FlowOf(s_peerIds["legacy"])!;

        _socket.Update([Peer("other", kept)]);
        await _handler.Closed.WaitAsync(_scene.Stop);
        await SendAsync(removed, Options("from-removed"));
        await SendAsync(kept, Options("from-kept"));
        using var delivered = await _handler.NextAsync(_scene.Stop);

        Assert.True(flow.IsClosed);
        Assert.Null(_socket.FlowOf(s_peerIds["legacy"]));
        Assert.Equal("from-kept", delivered.CallId);
        Assert.Equal(1, _socket.Dropped);
    }

    [Fact]
    public async Task Receive_MalformedRequestFromTrunk_AnsweredWith400AndNothingDelivered()
    {
        using var trunk = Bound();
        _socket.Update([Peer("legacy", trunk)]);

        // No CSeq method that matches, and a bad Content-Length: answered, not passed up.
        await SendAsync(trunk, "OPTIONS sip:switch@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKbad\r\nFrom: <sip:c@127.0.0.1>;tag=1\r\n"
            + "To: <sip:switch@127.0.0.1>\r\nCall-ID: bad\r\nCSeq: x OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        var buffer = new byte[4096];
        var received = await trunk.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _scene.Stop);

        Assert.StartsWith("SIP/2.0 400 ", Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes), StringComparison.Ordinal);
        Assert.False(_handler.Closed.IsCompleted);
    }

    public void Dispose() => _scene.Dispose();

    private static readonly Dictionary<string, Guid> s_peerIds = new() { ["legacy"] = Guid.CreateVersion7(), ["other"] = Guid.CreateVersion7() };

    private static PlainPeer Peer(string name, Socket at) => PlainTrunkScene.Peer(name, s_peerIds[name], Guid.CreateVersion7(), (IPEndPoint)at.LocalEndPoint!);

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static string Options(string callId) =>
        $"OPTIONS sip:switch@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK{callId}\r\nFrom: <sip:carrier@127.0.0.1>;tag=1\r\n"
        + $"To: <sip:switch@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    private async Task SendAsync(Socket from, string message) =>
        await from.SendToAsync(Encoding.ASCII.GetBytes(message), SocketFlags.None, _socket.LocalEndPoint, _scene.Stop);
}
