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

    public ConnectionTable Connections { get; } = new();

    public RecordingConnectionHandler Handler { get; } = new();

    public SwitchAudit Audit { get; } = new(time);

    public Task Served { get; private set; } = Task.CompletedTask;

    public TlsListener CreateListener() => new(
        pki.ServerContext, () => directory, new DeviceAuthenticator(time), Connections, Handler, Audit, time,
        new SipConnectionLimits(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(10)), NullLogger.Instance);

    public async Task<SslStream> ConnectAsync(IssuedCertificate? device, CancellationToken cancellationToken)
    {
        var (client, server) = DuplexPipeStream.CreatePair();
        Served = Task.Run(() => CreateListener().ServeAsync(server, Remote, cancellationToken), cancellationToken);
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
