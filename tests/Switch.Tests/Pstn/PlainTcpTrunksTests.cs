using System.Net;
using System.Threading.Channels;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Tcp;
using HostedPbx.Switch.Sip.Transport.Udp;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// Issue 11: the plain-trunk TCP listener on real loopback connections. The trunk is at 127.0.0.2, a stranger at
/// 127.0.0.3: only the trunk's address is kept (whatever its source port), and its requests belong to the trunk; anyone
/// else is closed at once with nothing sent, and counted; a withdrawn trunk's connection closes.
/// </summary>
public sealed class PlainTcpTrunksTests : IDisposable
{
    private static readonly IPAddress s_trunkAddress = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress s_strangerAddress = IPAddress.Parse("127.0.0.3");

    private readonly PlainTrunkScene _scene = new();
    private readonly RecordingFlows _handler = new();
    private readonly PlainTcpTrunks _trunks;
    private readonly PlainPeer _legacy =
        PlainTrunkScene.Peer("legacy", Guid.CreateVersion7(), Guid.CreateVersion7(), new IPEndPoint(s_trunkAddress, 5060), TrunkTransport.Tcp);

    public PlainTcpTrunksTests() => _trunks = _scene.Tcp(_handler, accepting: true);

    [Fact]
    public async Task Accept_FromTrunksAddress_OptionsReachesTheHandlerAsTheTrunksAnd200GoesBackOnTheSameConnection()
    {
        _trunks.Update([_legacy]);

        using var carrier = await ConnectAndSendOptionsAsync(s_trunkAddress, "tcp-ping");
        var (connection, message) = await _handler.NextAsync(_scene.Stop);
        using var request = (SipRequest)message;
        using var ok = SipResponses.Create(request, SipStatusCodes.Ok, "t1");
        connection.Send(ok);
        var answer = await carrier.ReadAsync(_scene.Stop);

        Assert.Equal("tcp-ping", request.CallId);
        // Bound to the trunk by its address alone: the source port was the carrier's ephemeral one, not 5060.
        Assert.Equal(_legacy.Identity.PeerId, connection.Peer!.Current.PeerId);
        Assert.Equal(carrier.LocalEndPoint, connection.Remote);
        // RFC 3261 §17.1.1.2: TCP is reliable, so no Timer A, E or G on this connection.
        Assert.Equal((SignallingTransport.Tcp, true, _trunks.SentBy), (connection.Transport, connection.IsReliable, connection.LocalSentBy));
        Assert.StartsWith("SIP/2.0 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("Call-ID: tcp-ping\r\n", answer, StringComparison.Ordinal);
        Assert.Equal(0, _trunks.Refused);
    }

    [Fact]
    public async Task Accept_StrangerThenTrunk_StrangerClosedWithNothingSentAndCountedAndOnlyTheTrunksRequestDelivered()
    {
        _trunks.Update([_legacy]);
        using var stranger = await ConnectAndSendOptionsAsync(s_strangerAddress, "stranger-call");

        var heard = await stranger.ReadAsync(_scene.Stop);
        using var carrier = await ConnectAndSendOptionsAsync(s_trunkAddress, "trunk-call");
        var next = await _handler.NextAsync(_scene.Stop);
        using var delivered = next.Message;

        Assert.Null(heard);
        Assert.Equal(1, _trunks.Refused);
        Assert.Equal("trunk-call", delivered.CallId);
    }

    [Fact]
    public async Task Update_TrunkWithdrawn_ItsConnectionClosesAndItsNextConnectionIsRefused()
    {
        _trunks.Update([_legacy]);
        using var carrier = await ConnectAndSendOptionsAsync(s_trunkAddress, "before");
        var (connection, message) = await _handler.NextAsync(_scene.Stop);
        message.Dispose();

        _trunks.Update([]);
        var closed = await _handler.Closed.WaitAsync(_scene.Stop);
        var heard = await carrier.ReadAsync(_scene.Stop);
        using var again = await PlainTcpCarrier.ConnectAsync(s_trunkAddress, _trunks.LocalEndPoint, _scene.Stop);
        var heardAgain = await again.ReadAsync(_scene.Stop);

        Assert.Same(connection, closed);
        Assert.True(connection.IsClosed);
        Assert.Null(heard);
        Assert.Null(heardAgain);
        Assert.Equal(1, _trunks.Refused);
    }

    public void Dispose() => _scene.Dispose();

    /// <summary>A carrier connects from <paramref name="from"/> to the plain-trunk listener and sends an OPTIONS.</summary>
    private async Task<PlainTcpCarrier> ConnectAndSendOptionsAsync(IPAddress from, string callId)
    {
        var carrier = await PlainTcpCarrier.ConnectAsync(from, _trunks.LocalEndPoint, _scene.Stop);
        await carrier.SendAsync(PlainTcpCarrier.Options(callId, carrier.LocalEndPoint.ToString()), _scene.Stop);
        return carrier;
    }

    /// <summary>What the identity gate would hand on: each message with the connection it came on.</summary>
    private sealed class RecordingFlows : ISipConnectionHandler
    {
        private readonly Channel<(SipConnection, SipMessage)> _messages = Channel.CreateUnbounded<(SipConnection, SipMessage)>();
        private readonly TaskCompletionSource<SipConnection> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<SipConnection> Closed => _closed.Task;

        public void OnMessage(SipConnection connection, SipMessage message) => _messages.Writer.TryWrite((connection, message));

        public void OnClosed(SipConnection connection) => _closed.TrySetResult(connection);

        public ValueTask<(SipConnection Connection, SipMessage Message)> NextAsync(CancellationToken cancellationToken) => _messages.Reader.ReadAsync(cancellationToken);
    }
}
