using System.Net.Security;
using System.Security.Authentication;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Transport.Peers;

/// <summary>The switch's SIP listener facing a carrier: its pinned certificate is admitted as a trunk peer, any other refused.</summary>
public sealed class PeerListenerTests : IDisposable
{
    private const string Mac = "0015651a2b3c";
    private static readonly Guid s_carrierId = Guid.CreateVersion7();
    private readonly TestPki _pki = new();
    private readonly CarrierPki _carrier;
    private readonly CancellationTokenSource _bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly ConnectionTable _connections = new();
    private readonly RecordingConnectionHandler _handler = new();
    private readonly SwitchAudit _audit = new(TimeProvider.System);
    private readonly IdentityGate _gate;
    private Task _served = Task.CompletedTask;

    public PeerListenerTests()
    {
        _bound.CancelAfter(TimeSpan.FromSeconds(30));
        _carrier = new CarrierPki(_pki.Issuer);
        _gate = new IdentityGate(_handler, _connections, () => Devices, _audit, NullLogger.Instance, peers: () => Peers);
    }

    private DeviceDirectory Devices { get; set; } = DeviceDirectory.Empty;

    private PeerDirectory Peers { get; set; } = new([new KnownPeer(PeerKind.Trunk, "Carrier One", s_carrierId, null, CarrierPki.SbcName)]);

    [Fact]
    public async Task ServeAsync_CarrierCertificateWithConfiguredName_AdmittedAsTrunkPeer()
    {
        await using var client = await ConnectAsync(_carrier.Sbc);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var message = await _handler.NextAsync(_bound.Token);

        var connection = Assert.Single(_connections.All);
        Assert.True(connection.IsPeer);
        var peer = connection.Peer!.Current;
        Assert.Equal(PeerKind.Trunk, peer.Kind);
        Assert.Equal(s_carrierId, peer.PeerId);
        Assert.Null(peer.TenantId);
        Assert.True(peer.CertificateVerified);
        Assert.Equal("the configured carrier anchors", peer.VerifiedBy);
        Assert.Equal(_carrier.Sbc.Fingerprint, peer.Fingerprint);
        // A peer connection carries no device: nothing above can treat it as a handset.
        Assert.Throws<InvalidOperationException>(() => connection.Device);
        Assert.Equal(SipMethod.Options, Assert.IsType<SipRequest>(message).Method);
    }

    [Fact]
    public async Task ServeAsync_CarrierCertificateWithAnotherName_RefusedAndAudited()
    {
        using var other = _carrier.Issue("other.carrier.test");

        await AssertRefusedAsync(other, "are no carrier's or trunk's");
    }

    [Fact]
    public async Task ServeAsync_SameNameButNotThePinnedCertificate_RefusedAndAudited()
    {
        using var pinned = _carrier.Issue(CarrierPki.SbcName);
        Peers = new([new KnownPeer(PeerKind.Trunk, "Carrier One", s_carrierId, null, CarrierPki.SbcName, pinned.Fingerprint)]);

        await AssertRefusedAsync(_carrier.Sbc, "is not the one pinned for Carrier One");
    }

    [Fact]
    public async Task ServeAsync_CarrierNameFromAnUntrustedCa_RefusedAndAudited()
    {
        using var strangerRoot = _pki.Issuer.CreateRoot();
        using var stranger = _pki.Issuer.IssueServer(strangerRoot, [CarrierPki.SbcName]);

        await AssertRefusedAsync(stranger, "does not verify against the configured carrier anchors");
    }

    [Fact]
    public async Task ServeAsync_HandsetWhilePeersAreKnown_StillAHandset()
    {
        using var device = _pki.IssueDevice(Mac);
        var record = TestPki.Device(Mac, device.Fingerprint);
        Devices = _pki.Directory(record);

        await using var client = await ConnectAsync(device);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using var message = await _handler.NextAsync(_bound.Token);

        var connection = Assert.Single(_connections.All);
        Assert.False(connection.IsPeer);
        Assert.Equal(record.Id, connection.Device.DeviceId);
    }

    [Fact]
    public async Task OnMessage_CarrierRemovedFromDirectory_NextRequestForbiddenAndConnectionClosed()
    {
        await using var client = await ConnectAsync(_carrier.Sbc);
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
        using (await _handler.NextAsync(_bound.Token))
        {
        }

        Peers = PeerDirectory.Empty;
        await TransportHarness.WriteAsync(client, TlsListenerTests.Options.Replace("z9hG4bK776asdhds", "z9hG4bK776second", StringComparison.Ordinal), _bound.Token);
        var answer = await TransportHarness.ReadSomeAsync(client, _bound.Token);
        await _handler.Closed.WaitAsync(_bound.Token);

        Assert.StartsWith("SIP/2.0 403 ", answer, StringComparison.Ordinal);
        Assert.True(_audit.Reader.TryRead(out var audit));
        Assert.Equal("sip.connection", audit.Action);
        Assert.Equal("trunk", audit.TargetKind);
        Assert.Contains("no longer a carrier or trunk", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeAsync_StrangersCertificateNamingAnIssuerUrl_RefusedWithoutTheSwitchFetchingIt()
    {
        // No MAC of ours, so the listener tries it as a carrier: that chain, too, is built without fetching anything.
        using var trap = new IssuerUrlTrap(CarrierPki.SbcName);

        await AssertRefusedAsync(trap.ClientContext, "not a carrier or node either");

        Assert.False(trap.WasContacted, "the switch connected to the URL the stranger's certificate names");
    }

    private Task<SslStream> ConnectAsync(IssuedCertificate? certificate) =>
        ConnectAsync(certificate is null ? null : SslStreamCertificateContext.Create(certificate.Certificate, [.. certificate.Issuers], offline: true));

    private async Task<SslStream> ConnectAsync(SslStreamCertificateContext? certificate)
    {
        var listener = new TlsListener(
            _pki.ServerContext, () => Devices, new DeviceAuthenticator(TimeProvider.System), _connections, _gate, _audit, TimeProvider.System,
            TransportHarness.Limits, NullLogger.Instance, new PeerAuthenticator(new PeerTrust(_carrier.Anchors), TimeProvider.System), () => Peers);
        var (client, server) = DuplexPipeStream.CreatePair();
        _served = Task.Run(() => listener.ServeAsync(server, TransportHarness.Remote, _bound.Token), _bound.Token);
        var ssl = new SslStream(client);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateContext = certificate,
            RemoteCertificateValidationCallback = (_, serverCertificate, _, _) => serverCertificate is not null,
        }, _bound.Token);
        return ssl;
    }

    private Task AssertRefusedAsync(IssuedCertificate certificate, string reason) =>
        AssertRefusedAsync(SslStreamCertificateContext.Create(certificate.Certificate, [.. certificate.Issuers], offline: true), reason);

    private async Task AssertRefusedAsync(SslStreamCertificateContext certificate, string reason)
    {
        try
        {
            await using var client = await ConnectAsync(certificate);
            // With TLS 1.3 the client finishes first and learns of the refusal on its next read.
            await TransportHarness.WriteAsync(client, TlsListenerTests.Options, _bound.Token);
            _ = await TransportHarness.ReadSomeAsync(client, _bound.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
        }

        await _served.WaitAsync(_bound.Token);
        Assert.Equal(0, _connections.Count);
        Assert.True(_audit.Reader.TryRead(out var audit));
        Assert.Equal(AuditOutcome.Denied, audit.Outcome);
        Assert.Equal("sip.tls.handshake", audit.Action);
        Assert.Contains(reason, audit.Reason, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _bound.Dispose();
        _carrier.Dispose();
        _pki.Dispose();
    }
}
