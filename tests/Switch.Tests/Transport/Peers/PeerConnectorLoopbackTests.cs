using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Transport.Peers;

/// <summary>
/// The outbound connector against a real loopback TLS server playing a carrier's SBC that requires a client certificate
/// (as Kamailio's tls.cfg does): the switch presents its own certificate and verifies the carrier's by name.
/// </summary>
public sealed class PeerConnectorLoopbackTests : IDisposable
{
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly TestPki _pki = new();
    private readonly CarrierPki _carrier;
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly ConnectionTable _connections = new();
    private readonly RecordingConnectionHandler _handler = new();
    private readonly Socket _listening = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Guid _trunkId = Guid.CreateVersion7();

    public PeerConnectorLoopbackTests()
    {
        _bound.CancelAfter(TimeSpan.FromSeconds(30));
        _carrier = new CarrierPki(_pki.Issuer);
        _listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listening.Listen();
    }

    private int Port => ((IPEndPoint)_listening.LocalEndPoint!).Port;

    [Fact]
    public async Task GetOrConnectAsync_CarrierRequiringClientCertificate_PresentsSwitchCertificateAndCarriesSip()
    {
        var sbc = ServeOnceAsync(_carrier.Sbc);
        var connector = Connector(new PeerTrust(_carrier.Anchors));

        var outcome = await connector.GetOrConnectAsync(Target(CarrierPki.SbcName), _bound.Token);
        await using var carrier = await sbc;
        await TransportHarness.WriteAsync(carrier.Stream, TlsListenerTests.Options, _bound.Token);
        using var message = await _handler.NextAsync(_bound.Token);
        var again = await connector.GetOrConnectAsync(Target(CarrierPki.SbcName), _bound.Token);

        Assert.True(outcome.Succeeded, outcome.Failure);
        // The carrier saw the switch's own certificate, valid for client authentication (its EKU says so).
        Assert.Equal(_pki.Server.Fingerprint, CertificateIdentity.Sha256Fingerprint(carrier.ClientCertificate!));
        Assert.True(carrier.ClientChainValid);
        var peer = outcome.Connection.Peer!.Current;
        Assert.True(peer.CertificateVerified);
        Assert.Equal(_carrier.Sbc.Fingerprint, peer.Fingerprint);
        Assert.Equal("the configured carrier anchors, as sbc.carrier.test", peer.VerifiedBy);
        Assert.StartsWith("TLSv1.", outcome.Connection.TlsVersion, StringComparison.Ordinal);
        Assert.Same(outcome.Connection, again.Connection);
        Assert.Same(outcome.Connection, Assert.Single(_connections.All));
        Assert.Equal(SipMethod.Options, Assert.IsType<SipRequest>(message).Method);
    }

    [Fact]
    public async Task ConnectAsync_CarrierCertificateForAnotherName_RefusedWithReason()
    {
        using var other = _carrier.Issue("other.carrier.test", "127.0.0.1");
        var sbc = ServeOnceAsync(other);

        var outcome = await Connector(new PeerTrust(_carrier.Anchors)).ConnectAsync(Target(CarrierPki.SbcName), _bound.Token);
        await DrainAsync(sbc);

        Assert.False(outcome.Succeeded);
        Assert.Contains("do not include 'sbc.carrier.test'", outcome.Failure, StringComparison.Ordinal);
        Assert.Equal(0, _connections.Count);
    }

    [Fact]
    public async Task ConnectAsync_CarrierFromACaNotTrusted_RefusedWithReason()
    {
        var sbc = ServeOnceAsync(_carrier.Sbc);

        // The system trust store does not hold the carrier's private root.
        var outcome = await Connector(PeerTrust.System).ConnectAsync(Target(CarrierPki.SbcName), _bound.Token);
        await DrainAsync(sbc);

        Assert.False(outcome.Succeeded);
        Assert.Contains("does not verify against system trust", outcome.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_FailsWithReason()
    {
        var port = Port;
        _listening.Dispose();

        var outcome = await Connector(new PeerTrust(_carrier.Anchors)).ConnectAsync(Target(CarrierPki.SbcName, port), _bound.Token);

        Assert.False(outcome.Succeeded);
        Assert.Contains("ConnectionRefused", outcome.Failure, StringComparison.Ordinal);
    }

    private PeerConnector Connector(PeerTrust trust) => new(
        _pki.ServerContext, new PeerAuthenticator(trust, TimeProvider.System), _connections, _handler, TimeProvider.System,
        TransportHarness.Limits, NullLogger.Instance, _bound.Token);

    private PeerTarget Target(string certificateName, int? port = null) =>
        new(PeerKind.Trunk, "Carrier One", _trunkId, null, "127.0.0.1", port ?? Port, certificateName);

    /// <summary>The carrier's SBC: TLS with a required client certificate, verified against the platform's root for clientAuth.</summary>
    [Fact]
    public async Task ConnectAsync_CarrierCertificateNamingAnIssuerUrl_RefusedWithoutTheSwitchFetchingIt()
    {
        // Whatever answers at the carrier's address presents a certificate of its own making: the switch fetches nothing it names.
        using var trap = new IssuerUrlTrap(CarrierPki.SbcName);
        var sbc = ServeOnceAsync(trap.ClientContext);

        var outcome = await Connector(new PeerTrust(_carrier.Anchors)).ConnectAsync(Target(CarrierPki.SbcName), _bound.Token);
        await DrainAsync(sbc);

        Assert.False(outcome.Succeeded);
        Assert.Equal(0, _connections.Count);
        Assert.False(trap.WasContacted, "the switch connected to the URL the carrier's certificate names");
    }

    private Task<CarrierSide> ServeOnceAsync(IssuedCertificate certificate) =>
        ServeOnceAsync(SslStreamCertificateContext.Create(certificate.Certificate, [.. certificate.Issuers], offline: true));

    private async Task<CarrierSide> ServeOnceAsync(SslStreamCertificateContext certificate)
    {
        var socket = await _listening.AcceptAsync(_bound.Token);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var side = new CarrierSide(ssl);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, client, _, _) =>
            {
                if (client is null)
                {
                    return false;
                }

                side.ClientCertificate = X509CertificateLoader.LoadCertificate(client.GetRawCertData());
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(_pki.Root.Certificate);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.ApplicationPolicy.Add(s_clientAuth);
                side.ClientChainValid = chain.Build(side.ClientCertificate);
                return side.ClientChainValid;
            },
        }, _bound.Token);
        return side;
    }

    private static async Task DrainAsync(Task<CarrierSide> sbc)
    {
        try
        {
            await using var side = await sbc;
            _ = await TransportHarness.ReadSomeAsync(side.Stream, TestContext.Current.CancellationToken);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
        }
    }

    public void Dispose()
    {
        _listening.Dispose();
        _bound.Dispose();
        _carrier.Dispose();
        _pki.Dispose();
    }
}
