using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transport.Udp;

/// <summary>
/// The one UDP socket the switch speaks plain SIP on (RFC 3261 §18), shared by every named trunk the operator allowed
/// plain transport for; handsets never reach it (they have no flow here and speak only TLS). Each such trunk is a flow, a
/// <see cref="SipConnection"/> bound to the trunk's configured address and port, whose transactions run the timers of an
/// unreliable transport. A datagram from any other address is dropped unanswered and counted (no reflection, no 403).
/// </summary>
internal sealed class PlainTrunkSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly PlainTrunkFlows _flows;
    private readonly ISipConnectionHandler _handler;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, SipConnection> _byRemote = new();
    private readonly Lock _updating = new();
    private Dictionary<IPEndPoint, PlainPeer> _peers = [];
    private long _dropped;

    public PlainTrunkSocket(
        IPEndPoint listen, ConnectionTable connections, ISipConnectionHandler handler, SipConnectionLimits limits, TimeProvider time, ILogger logger,
        CancellationToken stopping)
    {
        _socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(listen);
        _handler = handler;
        _logger = logger;
        // A UDP flow has no connection to go idle: it lives as long as its trunk is configured.
        _flows = new PlainTrunkFlows(
            SignallingTransport.Udp, (IPEndPoint)_socket.LocalEndPoint!, "plain trunk", connections, handler, limits with { IdleTimeout = Timeout.InfiniteTimeSpan },
            time, logger, flow => _byRemote.TryRemove(new KeyValuePair<IPEndPoint, SipConnection>(flow.Remote, flow)), stopping);
        SwitchLog.PlainTrunkListening(logger, LocalEndPoint);
    }

    public IPEndPoint LocalEndPoint => _flows.LocalEndPoint;

    /// <summary>Our host:port in Via and Contact on these flows (RFC 3261 §18.1.1), so answers and in-dialog requests come here.</summary>
    public string SentBy => _flows.SentBy;

    /// <summary>Datagrams dropped unanswered because they came from no plain trunk's address.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The flow of the plain trunk (or carrier) <paramref name="peerId"/>, or null when none is configured.</summary>
    public SipConnection? FlowOf(Guid peerId) =>
        _byRemote.Values.FirstOrDefault(f => !f.IsClosed && f.Peer is { } peer && peer.Current.PeerId == peerId);

    /// <summary>
    /// Takes the plain trunks of a new directory: opens a flow for each new UDP address, and closes the flows of trunks that
    /// are gone or no longer allowed (their calls end as a closed connection's do).
    /// </summary>
    public void Update(IEnumerable<PlainPeer> peers)
    {
        lock (_updating)
        {
            var next = new Dictionary<IPEndPoint, PlainPeer>();
            // TCP trunks are the plain-trunk listener's (Sip/Transport/Tcp).
            foreach (var peer in peers.Where(p => p.Transport == TrunkTransport.Udp))
            {
                // Two trunks at one address cannot be told apart by their datagrams: the first one named keeps it.
                next.TryAdd(peer.Remote, peer);
            }

            Volatile.Write(ref _peers, next);
            foreach (var (remote, flow) in _byRemote)
            {
                if (!next.TryGetValue(remote, out var peer) || peer.Identity.PeerId != flow.Peer!.Current.PeerId)
                {
                    _byRemote.TryRemove(remote, out _);
                    _flows.Close(flow, "the trunk is no longer allowed over plain UDP at this address");
                }
            }

            foreach (var peer in next.Values.Where(p => !_byRemote.ContainsKey(p.Remote)))
            {
                Open(peer);
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[SipParser.MaxMessageSize + 1];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken);
            }
            catch (SocketException)
            {
                // RFC 1122: an ICMP port-unreachable for an earlier send shows as an error on the next receive; it ends nothing.
                continue;
            }

            var source = (IPEndPoint)LocalEndPoint.Create(from);
            if (!_byRemote.TryGetValue(source, out var flow) || flow.IsClosed)
            {
                Interlocked.Increment(ref _dropped);
                SwitchLog.PlainDatagramDropped(_logger, source);
                continue;
            }

            Deliver(flow, buffer.AsSpan(0, length));
        }
    }

    public void Dispose()
    {
        _flows.CloseAll();
        _socket.Dispose();
    }

    /// <summary>RFC 3261 §18.3: over UDP the datagram is the message; a malformed request from the trunk is answered 400.</summary>
    private void Deliver(SipConnection flow, ReadOnlySpan<byte> datagram)
    {
        var parser = new SipParser(SipFraming.Datagram);
        var builder = new SipMessageBuilder();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(datagram.ToArray()));
        var status = parser.TryParse(ref reader, builder, out var reason);
        if (status == OperationStatus.Done && builder.KeepAliveCount > 0)
        {
            // RFC 5626 §4.4.2: a bare CRLF keep-alive over UDP needs no answer.
            return;
        }

        var message = builder.TakeMessage();
        if (status == OperationStatus.Done && message is not null)
        {
            // The layers above own the message from here, as they do a connection's.
            _handler.OnMessage(flow, message);
            return;
        }

        using var malformed = message;
        if (status == OperationStatus.InvalidData && malformed is SipRequest { Method: not SipMethod.Ack } request && request.CanBeAnswered)
        {
            using var answer = SipResponse.Reject(request, reason, Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")[..12]));
            flow.Send(answer);
        }

        SwitchLog.PlainDatagramMalformed(_logger, flow.Id, status == OperationStatus.InvalidData ? reason.ToString() : "incomplete datagram");
    }

    private void Open(PlainPeer peer)
    {
        var flow = _flows.Bind(peer, new DatagramFlowStream(_socket, peer.Remote), peer.Remote, () => StillHolds(peer));
        // No cap to reach: a UDP trunk has one flow, opened here only when its address has none.
        _flows.TryStart(flow, int.MaxValue, () =>
        {
            _byRemote[peer.Remote] = flow;
            SwitchLog.PlainFlowOpened(_logger, flow.Id, peer.Identity.Name, peer.Remote);
        });
    }

    /// <summary>The flow holds while its trunk is still configured at this address with plain transport allowed.</summary>
    private string? StillHolds(PlainPeer peer) => _flows.StillHolds(peer, Volatile.Read(ref _peers).GetValueOrDefault(peer.Remote), peer.Remote);
}
