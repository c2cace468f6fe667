using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>A <see cref="TlsListener"/> serving one in-memory connection, and the client's end of it.</summary>
internal sealed class TransportHarness(TestPki pki, DeviceDirectory directory, TimeProvider time)
{
    public static readonly IPEndPoint Remote = new(IPAddress.Loopback, 40000);

    public static readonly SipConnectionLimits Limits = new(
        IdleTimeout: TimeSpan.FromSeconds(120), HandshakeTimeout: TimeSpan.FromSeconds(10), PartialMessageTimeout: TimeSpan.FromSeconds(20),
        MaxConnectionsPerDevice: 2, MaxHandshakesPerAddress: 3);

    private TlsListener? _listener;
    private IdentityGate? _gate;

    /// <summary>The directory the listener and the identity gate read; a test swaps it to play an admin's change.</summary>
    public DeviceDirectory Directory { get; set; } = directory;

    public ConnectionTable Connections { get; } = new();

    public RecordingConnectionHandler Handler { get; } = new();

    public SwitchAudit Audit { get; } = new(time);

    public Task Served { get; private set; } = Task.CompletedTask;

    /// <summary>What the switch wires: the listener hands messages to the identity gate, which hands them to <see cref="Handler"/>.</summary>
    public IdentityGate Gate => _gate ??= new IdentityGate(Handler, Connections, () => Directory, Audit, NullLogger.Instance, (c, device) => LinesSeen.Add((c.Id, device.Extensions)));

    public List<(long ConnectionId, IReadOnlyList<string> Lines)> LinesSeen { get; } = [];

    /// <summary>One listener for the harness, so its per-address and per-device counts span connections.</summary>
    public TlsListener Listener => _listener ??= CreateListener();

    public TlsListener CreateListener() => new(
        pki.ServerContext, () => Directory, new DeviceAuthenticator(time), Connections, Gate, Audit, time, Limits, NullLogger.Instance);

    public async Task<SslStream> ConnectAsync(IssuedCertificate? device, CancellationToken cancellationToken)
    {
        var (client, server) = DuplexPipeStream.CreatePair();
        Served = Task.Run(() => Listener.ServeAsync(server, Remote, cancellationToken), cancellationToken);
        var ssl = new SslStream(client);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateContext = device is null ? null : SslStreamCertificateContext.Create(device.Certificate, [.. device.Issuers], offline: true),
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        }, cancellationToken);
        return ssl;
    }

    public static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public static async Task<string> ReadSomeAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
