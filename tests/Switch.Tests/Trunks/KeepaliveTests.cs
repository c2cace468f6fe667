using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Calls.Trunks.Keepalive;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Switch.Tests.Transport.Peers;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>
/// The OPTIONS keep-alive (RFC 3261 §11; issue 11) over real mutual TLS to a loopback carrier, on the harness's fake
/// time: a carrier that answers is up, one that stops answering is down after the set number of misses and up again on
/// its next answer, and a trunk that is down is passed over in the route's order.
/// </summary>
public sealed class KeepaliveTests : IAsyncDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Socket _listening = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _refusing = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<TestPhone> _carriers = [];
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly CarrierPki _carrierPki = new(new CertificateIssuer(Microsoft.Extensions.Options.Options.Create(new CertificateAuthorityOptions()), TimeProvider.System));
    private PstnDirectory _directory = PstnDirectory.Empty;

    public KeepaliveTests()
    {
        _listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listening.Listen();
        // Bound, never listening: connections to it are refused, as to a carrier whose SBC is gone.
        _refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    private int Port => ((IPEndPoint)_listening.LocalEndPoint!).Port;

    [Fact]
    public async Task Round_CarrierAnswersOptions_TrunkUpSinceThen()
    {
        await using var harness = Harness(misses: 2);
        var trunk = Trunk("Main", Port);
        _directory = Directory(trunk);

        var round = harness.Keepalive!.RoundAsync(_ct);
        var carrier = await AcceptCarrierAsync();
        var options = await carrier.RequestAsync("OPTIONS", _ct);
        await carrier.SendAsync(carrier.Response(options, 200, "k1"), _ct);
        await round;

        var change = Assert.Single(harness.TrunkStates);
        Assert.Equal((trunk.Id, _tenant, TrunkReachability.Up, harness.Time.GetUtcNow(), "answered OPTIONS 200 Whatever"),
            (change.TrunkId, change.TenantId, change.State, change.Since, change.Reason));
        Assert.Equal("sip:127.0.0.1:" + Port + ";transport=tls", System.Text.Encoding.UTF8.GetString(options.RequestUri));
    }

    [Fact]
    public async Task Round_CarrierAnswers405_StillUp()
    {
        await using var harness = Harness(misses: 1);
        var trunk = Trunk("Main", Port);
        _directory = Directory(trunk);

        var round = harness.Keepalive!.RoundAsync(_ct);
        var carrier = await AcceptCarrierAsync();
        await carrier.SendAsync(carrier.Response(await carrier.RequestAsync("OPTIONS", _ct), 405, "k1"), _ct);
        await round;

        Assert.Equal(TrunkReachability.Up, harness.Keepalive.HealthOf(trunk)!.State);
    }

    [Fact]
    public async Task Rounds_CarrierStopsAnswering_DownAfterTwoMissesThenUpOnItsNextAnswer()
    {
        await using var harness = Harness(misses: 2);
        var trunk = Trunk("Main", Port);
        _directory = Directory(trunk);
        var keepalive = harness.Keepalive!;
        var round = keepalive.RoundAsync(_ct);
        var carrier = await AcceptCarrierAsync();
        await carrier.SendAsync(carrier.Response(await carrier.RequestAsync("OPTIONS", _ct), 200, "k1"), _ct);
        await round;
        var upSince = harness.Time.GetUtcNow();

        // First miss: the OPTIONS arrives and is never answered; its deadline (the 30 s interval) passes.
        await MissAsync(harness, carrier);
        Assert.Equal((TrunkReachability.Up, upSince), (keepalive.HealthOf(trunk)!.State, keepalive.HealthOf(trunk)!.Since));

        await MissAsync(harness, carrier);
        var downSince = harness.Time.GetUtcNow();
        Assert.Equal((TrunkReachability.Down, downSince, "no answer to OPTIONS within 30 s"),
            (keepalive.HealthOf(trunk)!.State, keepalive.HealthOf(trunk)!.Since, keepalive.HealthOf(trunk)!.Reason));

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        round = keepalive.RoundAsync(_ct);
        await carrier.SendAsync(carrier.Response(await carrier.RequestAsync("OPTIONS", _ct), 200, "k2"), _ct);
        await round;

        Assert.Equal([TrunkReachability.Up, TrunkReachability.Down, TrunkReachability.Up], harness.TrunkStates.Select(c => c.State));
        Assert.Equal([upSince, downSince, harness.Time.GetUtcNow()], harness.TrunkStates.Select(c => c.Since));
    }

    [Fact]
    public async Task Invite_FirstTrunkDown_SecondTrunkTriedFirstAndTheSkipCounted()
    {
        await using var harness = Harness(misses: 1);
        var gone = Trunk("Gone", ((IPEndPoint)_refusing.LocalEndPoint!).Port);
        var healthy = Trunk("Healthy", Port);
        _directory = Directory(gone, healthy);
        // The gone carrier refuses the connection: one miss, and this harness marks down after one.
        var round = harness.Keepalive!.RoundAsync(_ct);
        var carrier = await AcceptCarrierAsync();
        await carrier.SendAsync(carrier.Response(await carrier.RequestAsync("OPTIONS", _ct), 200, "k1"), _ct);
        await round;
        Assert.Equal(TrunkReachability.Down, harness.Keepalive.HealthOf(gone)!.State);
        Assert.StartsWith("connect to 127.0.0.1:", harness.Keepalive.HealthOf(gone)!.Reason, StringComparison.Ordinal);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var call = await alice.InviteAsync("030123456", _ct);
        await carrier.AnswerAsync(_ct);
        await alice.CompleteAsync(call, _ct);

        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Callee);
        Assert.Equal(healthy.Id, leg.Trunk!.Id);
        Assert.Equal([(gone.Id, 1L)], harness.Keepalive.Skipped());
        Assert.Equal([(gone.Id, false), (healthy.Id, true)], harness.Keepalive.States().OrderBy(s => s.TrunkId == healthy.Id));
    }

    [Fact]
    public async Task Order_EveryTrunkDown_KeepsTheRoutesOrderSoTheCallIsStillTried()
    {
        await using var harness = Harness(misses: 1);
        var first = Trunk("First", ((IPEndPoint)_refusing.LocalEndPoint!).Port);
        var second = Trunk("Second", ((IPEndPoint)_refusing.LocalEndPoint!).Port);
        _directory = Directory(first, second);

        await harness.Keepalive!.RoundAsync(_ct);

        Assert.Equal([first, second], harness.Keepalive.Order([first, second]));
        Assert.Empty(harness.Keepalive.Skipped());
    }

    [Fact]
    public void OnProbed_MissesPastTheLimit_SinceAndReasonStayThoseOfTheChange()
    {
        var health = new TrunkHealth(2);
        var t0 = DateTimeOffset.UnixEpoch;

        Assert.False(health.OnProbed(new ProbeOutcome(false, "first"), t0));
        Assert.Null(health.State);
        Assert.True(health.OnProbed(new ProbeOutcome(false, "second"), t0.AddSeconds(30)));
        Assert.False(health.OnProbed(new ProbeOutcome(false, "third"), t0.AddSeconds(60)));
        Assert.Equal((TrunkReachability.Down, t0.AddSeconds(30), "second"), (health.State, health.Since, health.Reason));
    }

    /// <summary>A round whose OPTIONS reaches the carrier and is not answered before the probe's deadline.</summary>
    private async Task MissAsync(CallHarness harness, TestPhone carrier)
    {
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        var round = harness.Keepalive!.RoundAsync(_ct);
        await carrier.RequestAsync("OPTIONS", _ct);
        // The probe arms its deadline before it sends: once the OPTIONS is here, advancing past it is a miss.
        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await round;
    }

    private CallHarness Harness(int misses) => new(
        34620, 34639, pstn: () => _directory, carrierTrust: new PeerTrust(_carrierPki.Anchors), keepaliveMisses: misses);

    private PstnTrunk Trunk(string name, int port)
    {
        var id = Guid.CreateVersion7();
        var endpoint = new TrunkEndpoint("127.0.0.1", port, TrunkTransport.Tls, CarrierPki.SbcName, true, SrtpMode.Required, null, null, KeyPurpose.TrunkPassword(id));
        return new PstnTrunk(id, _tenant, name, endpoint, 2, new PeerTarget(PeerKind.Trunk, name, id, _tenant, "127.0.0.1", port, CarrierPki.SbcName));
    }

    private PstnDirectory Directory(params PstnTrunk[] trunks) => new(
        [new PstnSettings { TenantId = _tenant, Country = "DE" }],
        [new OutboundRoute { TenantId = _tenant, Name = "All", Pattern = "+*", Priority = 1, TrunkIds = [.. trunks.Select(t => t.Id)] }],
        new PeerDirectory(trunks.Select(t => new KnownPeer(PeerKind.Trunk, t.Name, t.Id, _tenant, CarrierPki.SbcName))),
        trunks,
        [new InboundNumber { TenantId = _tenant, Number = "+4930999000", DestinationExtensionId = Guid.CreateVersion7() }]);

    private async Task<TestPhone> AcceptCarrierAsync()
    {
        var socket = await _listening.AcceptAsync(_ct);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(_carrierPki.Sbc.Certificate, [.. _carrierPki.Sbc.Issuers], offline: true),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, client, _, _) => client is not null,
        }, _ct);
        var carrier = new TestPhone(ssl, "carrier", Port);
        _carriers.Add(carrier);
        return carrier;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var carrier in _carriers)
        {
            await carrier.DisposeAsync();
        }

        _listening.Dispose();
        _refusing.Dispose();
        _carrierPki.Dispose();
    }
}
