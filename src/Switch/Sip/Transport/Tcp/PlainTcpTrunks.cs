using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Udp;

namespace HostedPbx.Switch.Sip.Transport.Tcp;

/// <summary>
/// Plain SIP over TCP for the named trunks the operator allowed it for (issue 11), never for handsets. A listener on the
/// plain-trunk UDP socket's own address and port (RFC 3261 §18.2.1: a server listens on both) keeps a connection only from
/// the IP address of such a trunk (its source port is ephemeral) and closes any other at once, without a byte sent, and
/// counts it. Toward a trunk the switch opens one connection to its resolved address and reuses it while it lives (§18.1.1).
/// Each is a <see cref="SipConnection"/> with transport TCP (reliable: no Timer A, E or G) bound to its trunk, whose
/// connections close when the trunk is withdrawn.
/// </summary>
internal sealed class PlainTcpTrunks : IDisposable
{
    private readonly Socket _listening;
    private readonly PlainTrunkFlows _flows;
    private readonly SipConnectionLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, SipConnection> _outbound = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _connecting = new();
    private readonly Lock _updating = new();
    private PlainTcpPeers _peers = PlainTcpPeers.Of([]);
    private long _refused;

    public PlainTcpTrunks(
        IPEndPoint listen, ConnectionTable connections, ISipConnectionHandler handler, SipConnectionLimits limits, TimeProvider time, ILogger logger,
        CancellationToken stopping)
    {
        _listening = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listening.Bind(listen);
        _listening.Listen(128);
        _limits = limits;
        _time = time;
        _logger = logger;
        _flows = new PlainTrunkFlows(
            SignallingTransport.Tcp, (IPEndPoint)_listening.LocalEndPoint!, "plain TCP trunk", connections, handler, limits, time, logger,
            connection => _outbound.TryRemove(new KeyValuePair<Guid, SipConnection>(connection.Peer!.Current.PeerId, connection)), stopping);
        SwitchLog.PlainTcpListening(logger, LocalEndPoint);
    }

    public IPEndPoint LocalEndPoint => _flows.LocalEndPoint;

    /// <summary>Our host:port in Via and Contact on these connections (RFC 3261 §18.1.1), so a trunk's requests come here.</summary>
    public string SentBy => _flows.SentBy;

    /// <summary>Connections closed unanswered because they came from no plain TCP trunk's address.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Takes the plain trunks of a new directory (the TCP ones; UDP ones are the socket's) and closes every connection,
    /// accepted or opened, of a trunk that is gone, no longer allowed, or moved (their calls end as a closed connection's do).
    /// </summary>
    public void Update(IEnumerable<PlainPeer> peers)
    {
        lock (_updating)
        {
            var before = Volatile.Read(ref _peers);
            var next = PlainTcpPeers.Of(peers.Where(p => p.Transport == TrunkTransport.Tcp));
            Volatile.Write(ref _peers, next);
            foreach (var peer in next.ById.Values.Where(p => !before.ById.TryGetValue(p.Identity.PeerId, out var was) || !was.Remote.Equals(p.Remote)))
            {
                SwitchLog.PlainTcpTrunkAllowed(_logger, peer.Identity.Name, peer.Remote);
            }

            foreach (var connection in _flows.Open)
            {
                // A plain peer's identity asks this object whether it still holds; the directory argument is not used.
                if (connection.Peer!.Check(PeerDirectory.Empty) is { } reason)
                {
                    _flows.Close(connection, reason);
                }
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listening.AcceptAsync(cancellationToken);
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted ends nothing.
                continue;
            }

            await AdmitAsync(socket);
        }
    }

    /// <summary>The open connection to the plain TCP trunk (or carrier) <paramref name="peerId"/>, or a new one to its address.</summary>
    public async Task<PeerConnectOutcome> GetOrConnectAsync(Guid peerId, CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _peers).ById.TryGetValue(peerId, out var peer))
        {
            return new PeerConnectOutcome(null, "no address is known for it over plain TCP (its host did not resolve)");
        }

        if (_outbound.TryGetValue(peerId, out var open) && !open.IsClosed)
        {
            return new PeerConnectOutcome(open, null);
        }

        // One connection per trunk (RFC 3261 §18.1.1 reuse): calls that start together wait for the first one's connect.
        var connecting = _connecting.GetOrAdd(peerId, _ => new SemaphoreSlim(1, 1));
        await connecting.WaitAsync(cancellationToken);
        try
        {
            return _outbound.TryGetValue(peerId, out open) && !open.IsClosed ? new PeerConnectOutcome(open, null) : await ConnectAsync(peer, cancellationToken);
        }
        finally
        {
            connecting.Release();
        }
    }

    public void Dispose()
    {
        _listening.Dispose();
        _flows.CloseAll();

        foreach (var connecting in _connecting.Values)
        {
            connecting.Dispose();
        }
    }

    private async Task<PeerConnectOutcome> ConnectAsync(PlainPeer peer, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_limits.HandshakeTimeout, _time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var socket = new Socket(peer.Remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(peer.Remote, attempt.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            var reason = ex is SocketException s ? $"connect to {peer.Remote} failed: {s.SocketErrorCode}" : $"connect to {peer.Remote} not done within {_limits.HandshakeTimeout.TotalSeconds:0} s";
            SwitchLog.PlainConnectFailed(_logger, peer.Identity.Name, peer.Remote, reason);
            return new PeerConnectOutcome(null, reason);
        }

        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        if (await StartAsync(peer, socket, peer.Remote, "outbound", () => StillHeld(peer)) is not { } connection)
        {
            return new PeerConnectOutcome(null, $"{peer.Identity.Name} already holds {TlsListener.MaxConnectionsPerPeer} connections");
        }

        _outbound[peer.Identity.PeerId] = connection;
        return new PeerConnectOutcome(connection, null);
    }

    private async Task AdmitAsync(Socket socket)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        if (!Volatile.Read(ref _peers).ByAddress.TryGetValue(address, out var peer))
        {
            // Issue 11: a plain trunk is known by its address alone; anyone else hears nothing, not even a 403.
            Interlocked.Increment(ref _refused);
            SwitchLog.PlainConnectionRefused(_logger, remote);
            socket.Dispose();
            return;
        }

        socket.NoDelay = true;
        await StartAsync(peer, socket, remote, "inbound", () => StillAt(peer, address));
    }

    private async Task<SipConnection?> StartAsync(PlainPeer peer, Socket socket, IPEndPoint remote, string direction, Func<string?> stillHolds)
    {
        var connection = _flows.Bind(peer, new NetworkStream(socket, ownsSocket: true), remote, stillHolds);
        if (!_flows.TryStart(connection, TlsListener.MaxConnectionsPerPeer, () => SwitchLog.PlainConnectionOpened(_logger, connection.Id, peer.Identity.Name, remote, direction)))
        {
            await connection.DisposeAsync();
            return null;
        }

        return connection;
    }

    /// <summary>An accepted connection holds while its source address is still this trunk's, with plain TCP allowed.</summary>
    private string? StillAt(PlainPeer peer, IPAddress address) => _flows.StillHolds(peer, Volatile.Read(ref _peers).ByAddress.GetValueOrDefault(address), address);

    /// <summary>An opened connection holds while the trunk is still allowed plain TCP at the address it was opened to.</summary>
    private string? StillHeld(PlainPeer peer)
    {
        var current = Volatile.Read(ref _peers).ById.GetValueOrDefault(peer.Identity.PeerId);
        return _flows.StillHolds(peer, current is not null && current.Remote.Equals(peer.Remote) ? current : null, peer.Remote);
    }
}
