using System.Net;
using System.Security.Authentication;
using System.Threading.Channels;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// One TLS connection from a handset: frames SIP messages off the stream (RFC 3261 §18.3), answers keep-alives (RFC 5626
/// §4.4.1) and carries requests back to the handset over the same flow (RFC 5923, RFC 5626 §5.3).
/// </summary>
internal sealed partial class SipConnection : ISipSender, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ISipConnectionHandler _handler;
    private readonly TimeProvider _time;
    private readonly SipConnectionLimits _limits;
    private readonly ILogger _logger;
    private readonly SipParser _parser = new(SipFraming.Stream);
    private readonly Channel<byte[]> _writes;
    private readonly CancellationTokenSource _closing = new();
    private readonly ITimer _idleTimer;
    private long _lastActivity;
    private int _closed;
    private SipFlow? _flow;

    public SipConnection(
        long id, Stream stream, IPEndPoint remote, DeviceIdentity device, SslProtocols protocol, string cipher,
        ISipConnectionHandler handler, TimeProvider time, SipConnectionLimits limits, ILogger logger)
    {
        Id = id;
        _stream = stream;
        Remote = remote;
        Device = device;
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
    }

    /// <summary>The flow token (RFC 5626 §5.2): requests for bindings made over this connection go back over it.</summary>
    public long Id { get; }

    public IPEndPoint Remote { get; }

    public DeviceIdentity Device { get; }

    public string TlsVersion { get; }

    public string TlsCipher { get; }

    public SipFlow Flow => _flow ??= new SipFlow(Id, Remote, Device, TlsVersion, TlsCipher);

    public bool IsReliable => true;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var writer = WriteLoopAsync(linked.Token);
        try
        {
            await ReadLoopAsync(linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or AuthenticationException)
        {
            SwitchLogConnection(ex);
        }
        finally
        {
            Close();
            await writer;
            _handler.OnClosed(this);
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _writes.Writer.TryComplete();
            _closing.Cancel();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await _idleTimer.DisposeAsync();
        await _stream.DisposeAsync();
        _closing.Dispose();
    }

    private void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    private void OnIdleCheck()
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= _limits.IdleTimeout)
        {
            HostedPbx.Switch.Diagnostics.SwitchLog.ConnectionIdle(_logger, Id);
            Close();
        }
    }

    private void SwitchLogConnection(Exception ex) => HostedPbx.Switch.Diagnostics.SwitchLog.ConnectionEnded(_logger, Id, ex.GetType().Name);
}
