using System.Net;
using System.Threading.Channels;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Tcp;
using HostedPbx.Switch.Sip.Transport.Udp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

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

    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly RecordingFlows _handler = new();
    private readonly PlainTcpTrunks _trunks;
    private readonly PlainPeer _legacy = new(
        new PeerIdentity(PeerKind.Trunk, "legacy", Guid.CreateVersion7(), Guid.CreateVersion7(), "", "", false, "no certificate"),
        new IPEndPoint(s_trunkAddress, 5060), TrunkTransport.Tcp);

    public PlainTcpTrunksTests()
    {
        var limits = new SipConnectionLimits(TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), MaxConnectionsPerDevice: 10, MaxHandshakesPerAddress: 64);
        _trunks = new PlainTcpTrunks(
            new IPEndPoint(IPAddress.Loopback, 0), new ConnectionTable(), _handler, limits, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger.Instance, _stop.Token);
        _ = _trunks.RunAsync(_stop.Token);
    }

    [Fact]
    public async Task Accept_FromTrunksAddress_OptionsReachesTheHandlerAsTheTrunksAnd200GoesBackOnTheSameConnection()
    {
        _trunks.Update([_legacy]);
        using var carrier = await PlainTcpCarrier.ConnectAsync(s_trunkAddress, _trunks.LocalEndPoint, _stop.Token);

        await carrier.SendAsync(PlainTcpCarrier.Options("tcp-ping", carrier.LocalEndPoint.ToString()), _stop.Token);
        var (connection, message) = await _handler.NextAsync(_stop.Token);
        using var request = (SipRequest)message;
        using var ok = SipResponses.Create(request, SipStatusCodes.Ok, "t1");
        connection.Send(ok);
        var answer = await carrier.ReadAsync(_stop.Token);

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
        using var stranger = await PlainTcpCarrier.ConnectAsync(s_strangerAddress, _trunks.LocalEndPoint, _stop.Token);
        await stranger.SendAsync(PlainTcpCarrier.Options("stranger-call", stranger.LocalEndPoint.ToString()), _stop.Token);

        var heard = await stranger.ReadAsync(_stop.Token);
        using var carrier = await PlainTcpCarrier.ConnectAsync(s_trunkAddress, _trunks.LocalEndPoint, _stop.Token);
        await carrier.SendAsync(PlainTcpCarrier.Options("trunk-call", carrier.LocalEndPoint.ToString()), _stop.Token);
        var next = await _handler.NextAsync(_stop.Token);
        using var delivered = next.Message;

        Assert.Null(heard);
        Assert.Equal(1, _trunks.Refused);
        Assert.Equal("trunk-call", delivered.CallId);
    }

    [Fact]
    public async Task Update_TrunkWithdrawn_ItsConnectionClosesAndItsNextConnectionIsRefused()
    {
        _trunks.Update([_legacy]);
        using var carrier = await PlainTcpCarrier.ConnectAsync(s_trunkAddress, _trunks.LocalEndPoint, _stop.Token);
        await carrier.SendAsync(PlainTcpCarrier.Options("before", carrier.LocalEndPoint.ToString()), _stop.Token);
        var (connection, message) = await _handler.NextAsync(_stop.Token);
        message.Dispose();

        _trunks.Update([]);
        var closed = await _handler.Closed.WaitAsync(_stop.Token);
        var heard = await carrier.ReadAsync(_stop.Token);
        using var again = await PlainTcpCarrier.ConnectAsync(s_trunkAddress, _trunks.LocalEndPoint, _stop.Token);
        var heardAgain = await again.ReadAsync(_stop.Token);

        Assert.Same(connection, closed);
        Assert.True(connection.IsClosed);
        Assert.Null(heard);
        Assert.Null(heardAgain);
        Assert.Equal(1, _trunks.Refused);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _trunks.Dispose();
        _stop.Dispose();
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
