using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Resolution;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Switch.Tests.Transport.Peers;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>
/// A handset's call to a trunk named by DNS (issue 11): the carrier's NAPTR and SRV records (dnsmasq on loopback) give two
/// servers; the first refuses connections, the second answers, and its certificate is checked against the trunk's
/// configured name, not the SRV target's.
/// </summary>
public sealed class ResolutionCallTests : IAsyncDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Socket _listening = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _refusing = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<TestPhone> _carriers = [];
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly CarrierPki _carrierPki = new(new CertificateIssuer(Microsoft.Extensions.Options.Options.Create(new CertificateAuthorityOptions()), TimeProvider.System));
    private ResolutionDnsServer? _dns;
    private PstnDirectory _directory = PstnDirectory.Empty;

    public ResolutionCallTests()
    {
        _listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listening.Listen();
        // Bound but not listening: a connection to it is refused.
        _refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    private int Port => ((IPEndPoint)_listening.LocalEndPoint!).Port;

    [Fact]
    public async Task Invite_FirstSrvTargetRefusesConnections_SecondTargetCarriesTheCall()
    {
        _dns = await ResolutionDnsServer.StartAsync([
            "--naptr-record=carrier.test,10,50,s,SIPS+D2T,,_sips._tcp.carrier.test",
            $"--srv-host=_sips._tcp.carrier.test,sbc1.carrier.test,{((IPEndPoint)_refusing.LocalEndPoint!).Port},10,0",
            $"--srv-host=_sips._tcp.carrier.test,sbc2.carrier.test,{Port},20,0",
            "--host-record=sbc1.carrier.test,127.0.0.1",
            "--host-record=sbc2.carrier.test,127.0.0.1",
        ], _ct);
        await using var harness = Harness(31960);
        var trunk = Trunk("carrier.test");
        _directory = Directory(trunk);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var call = await alice.InviteAsync("030123456", _ct);
        var carrier = await AcceptCarrierAsync();
        await carrier.AnswerAsync(_ct);
        await alice.CompleteAsync(call, _ct);

        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Callee);
        Assert.Equal(trunk.Id, leg.Trunk!.Id);
        var facts = leg.Describe(new CallRecord { TenantId = _tenant, FromParty = "201", ToParty = "+4930123456", SipCallId = call.CallId }, 1)!;
        // RFC 5922 §4: verified as the name the trunk was configured with, although the server was found as sbc2.carrier.test.
        Assert.True(facts.PeerCertificateVerified);
        Assert.EndsWith($"as {CarrierPki.SbcName}", facts.PeerVerifiedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_TrunkHostDoesNotResolve_CallerHears503CarrierUnreachableAndTheAuditNamesTheHost()
    {
        _dns = await ResolutionDnsServer.StartAsync(["--host-record=other.test,127.0.0.1"], _ct);
        await using var harness = Harness(31980);
        _directory = Directory(Trunk("nowhere.test"));
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var call = await alice.InviteAsync("030123456", _ct);

        var refusal = await alice.ResponseAsync(call.CallId, "INVITE", 503, _ct);
        Assert.Equal("Carrier Unreachable", System.Text.Encoding.UTF8.GetString(refusal.ReasonPhrase));
        var audits = new List<AuditEvent>();
        while (harness.Audit.Reader.TryRead(out var e))
        {
            audits.Add(e);
        }

        Assert.Contains(audits, e => e.Action == "pstn.trunk.connect" && e.Reason == "host 'nowhere.test' does not resolve");
    }

    private CallHarness Harness(int mediaPortMin) => new(
        mediaPortMin, mediaPortMin + 19, pstn: () => _directory, carrierTrust: new PeerTrust(_carrierPki.Anchors), keys: null,
        locator: SipServerLocator.Create(_dns!.Address));

    private PstnTrunk Trunk(string host)
    {
        var id = Guid.CreateVersion7();
        var endpoint = new TrunkEndpoint(host, 5061, TrunkTransport.Tls, CarrierPki.SbcName, true, SrtpMode.Required, null, null, KeyPurpose.TrunkPassword(id));
        return new PstnTrunk(id, _tenant, "Main", endpoint, 2, new PeerTarget(PeerKind.Trunk, "Main", id, _tenant, host, 5061, CarrierPki.SbcName));
    }

    private PstnDirectory Directory(PstnTrunk trunk) => new(
        [new PstnSettings { TenantId = _tenant, Country = "DE" }],
        [new OutboundRoute { TenantId = _tenant, Name = "All", Pattern = "+*", Priority = 1, TrunkIds = [trunk.Id] }],
        new PeerDirectory([new KnownPeer(PeerKind.Trunk, trunk.Name, trunk.Id, _tenant, CarrierPki.SbcName)]),
        [trunk],
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

        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }

        _listening.Dispose();
        _refusing.Dispose();
        _carrierPki.Dispose();
    }
}
