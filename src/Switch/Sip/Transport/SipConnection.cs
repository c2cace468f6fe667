using System.Net;
using System.Security.Authentication;
using System.Threading.Channels;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// One TLS connection from a handset, or to or from a peer (a carrier or another node): frames SIP messages off the stream (RFC 3261 §18.3), answers keep-alives (RFC 5626
/// §4.4.1) and carries requests back to the handset over the same flow (RFC 5923, RFC 5626 §5.3).
/// </summary>
internal sealed partial class SipConnection : ISipSender, IAsyncDisposable
{
    /// <summary>How long what is queued (a last 400 or 403) may take to leave once the connection is closing.</summary>
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(2);

    private readonly Stream _stream;
    private readonly ISipConnectionHandler _handler;
    private readonly TimeProvider _time;
    private readonly SipConnectionLimits _limits;
    private readonly ILogger _logger;
    private readonly SipParser _parser = new(SipFraming.Stream);
    private readonly Channel<byte[]> _writes;
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _aborting = new();

    // Close may come from another thread (a directory change, a plain trunk withdrawn) while the connection disposes
    // itself: the token sources are cancelled and disposed under this lock, and never cancelled once disposed (checked
    // before each Cancel, since a Cancel's callbacks can dispose them on the same thread).
    private readonly Lock _lifecycle = new();
    private bool _disposed;
    private readonly ITimer _idleTimer;
    private readonly ITimer _partialTimer;
    private long _lastActivity;
    private long _partialSince;
    private int _closed;
    private SipFlow? _flow;

    public SipConnection(
        long id, Stream stream, IPEndPoint remote, ConnectionIdentity identity, SslProtocols protocol, string cipher,
        ISipConnectionHandler handler, TimeProvider time, SipConnectionLimits limits, ILogger logger)
        : this(id, stream, remote, protocol, cipher, handler, time, limits, logger) => Identity = identity;

    /// <summary>A connection to or from a peer: it never carries a device, so it never reaches the registrar.</summary>
    public SipConnection(
        long id, Stream stream, IPEndPoint remote, PeerConnectionIdentity peer, SslProtocols protocol, string cipher,
        ISipConnectionHandler handler, TimeProvider time, SipConnectionLimits limits, ILogger logger)
        : this(id, stream, remote, protocol, cipher, handler, time, limits, logger) => Peer = peer;

    private SipConnection(
        long id, Stream stream, IPEndPoint remote, SslProtocols protocol, string cipher,
        ISipConnectionHandler handler, TimeProvider time, SipConnectionLimits limits, ILogger logger)
    {
        Id = id;
        _stream = stream;
        Remote = remote;
        TlsVersion = protocol switch
        {
            SslProtocols.Tls13 => "TLSv1.3",
            SslProtocols.Tls12 => "TLSv1.2",
            _ => protocol.ToString(),
        };
        TlsCipher = cipher;
        _handler = handler;
        _time = time;
        _limits = limits;
        _logger = logger;
        _writes = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(limits.MaxQueuedWrites) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _lastActivity = time.GetTimestamp();
        _idleTimer = time.CreateTimer(static s => ((SipConnection)s!).OnIdleCheck(), this, limits.IdleTimeout, limits.IdleTimeout);
        _partialTimer = time.CreateTimer(static s => ((SipConnection)s!).OnPartialCheck(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The flow token (RFC 5626 §5.2): requests for bindings made over this connection go back over it.</summary>
    public long Id { get; }

    public IPEndPoint Remote { get; }

    /// <summary>A handset's client certificate of the handshake, re-checked against each new directory snapshot; null on a peer connection.</summary>
    public ConnectionIdentity? Identity { get; }

    /// <summary>The carrier or node at the far end, re-checked on every request; null on a handset's connection.</summary>
    public PeerConnectionIdentity? Peer { get; }

    public bool IsPeer => Peer is not null;

    /// <summary>The device as the current directory knows it (its lines change when an admin binds or unbinds one).</summary>
    /// <exception cref="InvalidOperationException">On a peer connection, which has no device.</exception>
    public DeviceIdentity Device => Identity?.Current ?? throw new InvalidOperationException($"Connection {Id} is a peer connection and has no device.");

    /// <summary>The device's or the peer's id: what the per-device (or per-peer) connection cap counts.</summary>
    public Guid OwnerId => Identity?.Current.DeviceId ?? Peer!.Current.PeerId;

    public string TlsVersion { get; }

    public string TlsCipher { get; }

    public SipFlow Flow
    {
        get
        {
            var device = Device;
            var flow = Volatile.Read(ref _flow);
            if (flow is null || !ReferenceEquals(flow.Device, device))
            {
                flow = new SipFlow(Id, Remote, device, TlsVersion, TlsCipher);
                Volatile.Write(ref _flow, flow);
            }

            return flow;
        }
    }

    /// <summary>TLS for handsets, nodes and carriers; UDP only for a named plain trunk's flow (issue 11), which the operator allowed.</summary>
    public SignallingTransport Transport { get; init; } = SignallingTransport.Tls;

    /// <summary>Our host:port for Via and Contact on this flow when it is not the TLS listener's (a plain trunk's UDP socket).</summary>
    public string? LocalSentBy { get; init; }

    /// <summary>RFC 3261 §17.1.1.2, §17.1.2.2: over UDP the transactions retransmit (Timers A, E, G) and wait (Timers D, J, K).</summary>
    public bool IsReliable => Transport != SignallingTransport.Udp;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborting.Token);
        var writer = WriteLoopAsync(writing.Token);
        try
        {
            await ReadLoopAsync(reading.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or AuthenticationException)
        {
            SwitchLog.ConnectionEnded(_logger, Id, ex.GetType().Name);
        }
        finally
        {
            // RFC 3261 §18.3: an answer queued before the close (a 400, 513 or 403) still goes out, for a bounded time.
            Volatile.Write(ref _closed, 1);
            _writes.Writer.TryComplete();
            try
            {
                await writer.WaitAsync(s_drain, _time, CancellationToken.None);
            }
            catch (TimeoutException)
            {
            }

            Close();
            await writer;
            _handler.OnClosed(this);
        }
    }

    /// <summary>Closes now, dropping whatever is still queued.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _closed, 1);
        _writes.Writer.TryComplete();
        lock (_lifecycle)
        {
            if (!_disposed)
            {
                _closing.Cancel();
            }

            // Cancel runs the read loop's callbacks on this thread, and the loop may end, close and dispose this
            // connection inside it (the lock is re-entrant): a clean run once found the second source disposed here.
            if (!_disposed)
            {
                _aborting.Cancel();
            }
        }
    }

    /// <summary>Stops reading and closes once what is already queued (a final answer) has been written.</summary>
    public void CloseAfterSending()
    {
        Interlocked.Exchange(ref _closed, 1);
        _writes.Writer.TryComplete();
        lock (_lifecycle)
        {
            if (!_disposed)
            {
                _closing.Cancel();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await _idleTimer.DisposeAsync();
        await _partialTimer.DisposeAsync();
        await _stream.DisposeAsync();
        lock (_lifecycle)
        {
            _disposed = true;
            _closing.Dispose();
            _aborting.Dispose();
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    private void OnIdleCheck()
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= _limits.IdleTimeout)
        {
            SwitchLog.ConnectionIdle(_logger, Id);
            Close();
        }
    }
}
