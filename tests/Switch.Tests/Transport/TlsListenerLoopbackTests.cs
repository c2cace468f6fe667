using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using HostedPbx.Testing;

namespace HostedPbx.Switch.Tests.Transport;

public sealed class TlsListenerLoopbackTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private readonly TestPki _pki = new();
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

    public TlsListenerLoopbackTests() => _bound.CancelAfter(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task RunAsync_RealSocketWithDeviceCertificate_DeliversRequest()
    {
        using var device = _pki.IssueDevice(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(TestPki.Device(Mac, device.Fingerprint)), TimeProvider.System);
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_bound.Token);
        var accepting = harness.CreateListener().RunAsync(listening, stop.Token);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync((IPEndPoint)listening.LocalEndPoint!, _bound.Token);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificateContext = SslStreamCertificateContext.Create(device.Certificate, [.. device.Issuers], offline: true),
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        }, _bound.Token);
        await TransportHarness.WriteAsync(ssl, TlsListenerTests.Options, _bound.Token);
        using var message = await harness.Handler.NextAsync(_bound.Token);

        var connection = Assert.Single(harness.Connections.All);
        Assert.Equal("TLSv1.3", connection.TlsVersion);
        Assert.Equal(IPAddress.Loopback, connection.Remote.Address);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
    }

    [Fact]
    public async Task ServeAsync_StrangersCertificateNamingAnIssuerUrl_RefusedWithoutTheSwitchFetchingIt()
    {
        // Building a stranger's chain must not make the switch connect anywhere the stranger names.
        using var trap = new IssuerUrlTrap(Mac);
        var harness = new TransportHarness(_pki, _pki.Directory(), TimeProvider.System);
        var (client, server) = await ConnectedPairAsync();
        using var connected = client;
        var serving = harness.CreateListener().ServeAsync(server, _bound.Token);

        await using var ssl = new SslStream(client.GetStream());
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificateContext = trap.ClientContext,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            }, _bound.Token);
            // With TLS 1.3 the client finishes first and learns of the refusal on its next read.
            await TransportHarness.WriteAsync(ssl, TlsListenerTests.Options, _bound.Token);
            _ = await TransportHarness.ReadSomeAsync(ssl, _bound.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
        }

        await serving;

        Assert.True(harness.Audit.Reader.TryRead(out var denied));
        Assert.Equal("sip.tls.handshake", denied.Action);
        Assert.Contains("UntrustedIssuer", denied.Reason, StringComparison.Ordinal);
        Assert.False(trap.WasContacted, "the switch connected to the URL the stranger's certificate names");
    }

    private static async Task<(TcpClient Client, Socket Server)> ConnectedPairAsync()
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen();
        var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listening.LocalEndPoint!);
        return (client, await listening.AcceptAsync());
    }

    public void Dispose()
    {
        _bound.Dispose();
        _pki.Dispose();
    }
}
