using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostedPbx.Data.Calls;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Registrar;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Switch.Tests.Transport.Peers;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// A handset's call to the telephone network through the real call controller and a trunk leg, to a loopback "carrier"
/// that requires the switch's client certificate (mutual TLS) and answers as an SBC would.
/// </summary>
public sealed class TrunkCallTests : IAsyncDisposable
{
    private const string TenantNumber = "+4930999000";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Socket _listening = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<TestPhone> _carriers = [];
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly KeyProtector _keys = new(new byte[32]);
    private CarrierPki? _carrierPki;
    private PstnDirectory _directory = PstnDirectory.Empty;

    public TrunkCallTests()
    {
        _listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listening.Listen();
    }

    private int Port => ((IPEndPoint)_listening.LocalEndPoint!).Port;

    [Fact]
    public async Task Invite_RoutedNumber_CarrierRingsAndAnswers_BridgedWithSrtpAndTheTenantsNumberAsCallerId()
    {
        await using var harness = Harness(31760);
        var trunk = Trunk("Main");
        _directory = Directory([trunk]);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var call = await alice.InviteAsync("030123456", _ct);
        var carrier = await AcceptCarrierAsync();
        var invite = await carrier.RequestAsync("INVITE", _ct);
        var dialog = await carrier.RingAsync(invite, _ct);
        await alice.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        var carrierMedia = await carrier.AcceptAsync(invite, dialog, _ct);
        var aliceMedia = await alice.CompleteAsync(call, _ct);
        await carrier.RequestAsync("ACK", _ct);

        Assert.StartsWith("sip:+4930123456@127.0.0.1:", Encoding.UTF8.GetString(invite.RequestUri), StringComparison.Ordinal);
        Assert.True(invite.TryGetHeader(KnownHeader.From, out var from));
        Assert.StartsWith($"<sip:{TenantNumber}@", Encoding.UTF8.GetString(from), StringComparison.Ordinal);
        await AssertAudioFlowsAsync(alice, aliceMedia, carrier, carrierMedia);
        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Callee);
        var facts = leg.Describe(new CallRecord { TenantId = _tenant, FromParty = "201", ToParty = "+4930123456", SipCallId = call.CallId }, 1)!;
        Assert.Equal((Data.Entities.LegKind.Trunk, true, true, MediaProtection.Srtp, trunk.Id), (facts.Kind, facts.LeavesNetwork, facts.PeerCertificateVerified, facts.MediaProtection, facts.TrunkId));
        Assert.StartsWith("TLSv1.", facts.TlsVersion, StringComparison.Ordinal);

        // The carrier hangs up: the handset hears BYE, and the call's statement says what the trunk leg's facts show.
        await carrier.SendAsync(carrier.InDialog("BYE", dialog), _ct);
        Assert.Equal(call.CallId, (await alice.RequestAsync("BYE", _ct)).CallId);
        await carrier.ResponseAsync(invite.CallId, "BYE", 200, _ct);
        var record = await EndedRecordAsync(harness);
        var statement = SecurityStatement.Render(record);
        Assert.Equal((CallType.OutboundPstn, "+4930123456"), (record.Type, record.ToParty));
        Assert.Contains("outside number +4930123456", statement, StringComparison.Ordinal);
        Assert.Contains("public telephone network, which our encryption does not reach", statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_RouteWithACallerIdTheTenantOwns_PresentsItInsteadOfTheExtensionsNumber()
    {
        const string RouteNumber = "+4930999111";
        await using var harness = Harness(31860);
        var trunk = Trunk("Main");
        _directory = Directory([trunk], routeCallerId: RouteNumber,
            extraNumber: new InboundNumber { TenantId = _tenant, Number = RouteNumber, DestinationExtensionId = Guid.CreateVersion7() });
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        await alice.InviteAsync("030123456", _ct);
        var carrier = await AcceptCarrierAsync();
        var invite = await carrier.RequestAsync("INVITE", _ct);

        Assert.True(invite.TryGetHeader(KnownHeader.From, out var from));
        Assert.StartsWith($"<sip:{RouteNumber}@", Encoding.UTF8.GetString(from), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_FirstTrunkAnswers503_SecondTrunkOfTheRouteCarriesTheCall()
    {
        await using var harness = Harness(31780);
        var first = Trunk("First");
        var second = Trunk("Second");
        _directory = Directory([first, second]);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var call = await alice.InviteAsync("030123456", _ct);
        var unwell = await AcceptCarrierAsync();
        var refused = await unwell.RequestAsync("INVITE", _ct);
        await unwell.SendAsync(unwell.Response(refused, 503, "down"), _ct);
        var healthy = await AcceptCarrierAsync();
        var (_, _) = await healthy.AnswerAsync(_ct);
        await alice.CompleteAsync(call, _ct);

        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Callee);
        Assert.Equal(second.Id, leg.Trunk!.Id);
        Assert.Equal(0, harness.Trunks!.Channels.InUse(first.Id));
        Assert.Equal(1, harness.Trunks.Channels.InUse(second.Id));
    }

    [Fact]
    public async Task Invite_EmergencyNumberWhileTheTrunkIsFull_StillGoesOut()
    {
        await using var harness = Harness(31840);
        var trunk = Trunk("Main");
        _directory = Directory([trunk]);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);
        Assert.True(harness.Trunks!.Channels.TryTake(trunk));
        Assert.True(harness.Trunks.Channels.TryTake(trunk));

        var call = await alice.InviteAsync("112", _ct);
        var carrier = await AcceptCarrierAsync();
        await carrier.AnswerAsync(_ct);
        await alice.CompleteAsync(call, _ct);

        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Callee);
        Assert.True(leg.Emergency);
        Assert.Equal(3, harness.Trunks.Channels.InUse(trunk.Id));
    }

    [Fact]
    public async Task Invite_CarrierChallenges_AnsweredWithSha256DigestOfTheTrunksPassword()
    {
        await using var harness = Harness(31800);
        var trunk = Trunk("Main", username: "pbx-tenant-1", password: "s3cret carrier password");
        _directory = Directory([trunk]);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);
        var digest = new DigestAuthenticator(TimeProvider.System);

        var call = await alice.InviteAsync("030123456", _ct);
        var carrier = await AcceptCarrierAsync();
        var first = await carrier.RequestAsync("INVITE", _ct);
        var challenge = string.Join("", DigestAuthenticator.Challenges(digest.CreateNonce()).Select(c => $"{c.Name}: {c.Value}\r\n"));
        await carrier.SendAsync(carrier.Response(first, 401, "challenge").Replace("Contact:", challenge + "Contact:", StringComparison.Ordinal), _ct);
        var second = await carrier.NextAsync<SipRequest>(r => r.MethodName == "INVITE" && r.TryGetHeader(KnownHeader.Authorization, out _), _ct);
        second.TryGetHeader(KnownHeader.Authorization, out var authorization);
        var credentials = HostedPbx.Switch.Sip.Registrar.Registrar.ParseCredentials(Encoding.UTF8.GetString(authorization))!;

        Assert.Equal(("SHA-256", "pbx-tenant-1"), (credentials["algorithm"], credentials["username"]));
        Assert.True(digest.Verify(credentials, "INVITE", DigestAuthenticator.Sha256($"pbx-tenant-1:{DigestAuthenticator.Realm}:s3cret carrier password"), null));
        Assert.Equal(first.CallId, second.CallId);
        Assert.False(Encoding.UTF8.GetString(authorization).Contains("s3cret", StringComparison.Ordinal));
        await carrier.SendAsync(carrier.Response(second, 486, "busy"), _ct);
        await alice.ResponseAsync(call.CallId, "INVITE", 486, _ct);
    }

    [Fact]
    public async Task Invite_CarrierPresentsACertificateForAnotherName_CallRefusedAndAudited()
    {
        await using var harness = Harness(31820);
        _directory = Directory([Trunk("Main") with { Target = Trunk("Main").Target with { CertificateName = "sbc.other.test" } }]);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var call = await alice.InviteAsync("030123456", _ct);
        _ = AcceptCarrierAsync();

        // No trunk could take the call: the caller hears "temporarily unavailable", the audit log why.
        await alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
        var audits = new List<AuditEvent>();
        while (harness.Audit.Reader.TryRead(out var e))
        {
            audits.Add(e);
        }

        Assert.Contains(audits, e => e.Action == "pstn.trunk.connect" && e.Reason!.Contains("do not include 'sbc.other.test'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invite_TrunkRefusedAtOnce_EachCallsLastRecordIsItsEndedOne()
    {
        // A plain trunk without the operator's leave fails on the leg's own thread while the call is still starting: the
        // start's "in progress" record must be queued before the end's, or it replaces it and the portal shows the call
        // in progress for ever (a clean end-to-end run once did).
        await using var harness = Harness(31840);
        var plain = Trunk("Plain");
        _directory = Directory([plain with { Endpoint = plain.Endpoint with { Transport = TrunkTransport.Udp } }]);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var callIds = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var call = await alice.InviteAsync("030123456", _ct);
            await alice.ResponseAsync(call.CallId, "INVITE", 480, _ct);
            callIds.Add(call.CallId);
        }

        var records = new List<CallRecord>();
        while (records.Count(r => r.EndedAt is not null) < callIds.Count)
        {
            records.Add(await harness.Records.Pending.ReadAsync(_ct));
        }

        while (harness.Records.Pending.TryRead(out var late))
        {
            records.Add(late);
        }

        Assert.Empty(harness.Calls.ActiveCalls);
        Assert.All(callIds, id =>
        {
            var last = records.Last(r => r.SipCallId == id);
            Assert.True(last is { EndedAt: not null, Outcome: CallOutcome.Unavailable }, $"call {id}: its last record says {last.Outcome}, ended {last.EndedAt}");
        });
    }

    private async Task<CallRecord> EndedRecordAsync(CallHarness harness)
    {
        while (true)
        {
            var record = await harness.Records.Pending.ReadAsync(_ct);
            if (record.EndedAt is not null)
            {
                return record;
            }
        }
    }

    private CallHarness Harness(int mediaPortMin)
    {
        _carrierPki ??= new CarrierPki(new CertificateIssuer(Microsoft.Extensions.Options.Options.Create(new CertificateAuthorityOptions()), TimeProvider.System));
        return new CallHarness(mediaPortMin, mediaPortMin + 19, pstn: () => _directory, carrierTrust: new PeerTrust(_carrierPki.Anchors), keys: _keys);
    }

    private PstnTrunk Trunk(string name, string? username = null, string? password = null)
    {
        var id = Guid.CreateVersion7();
        var purpose = KeyPurpose.TrunkPassword(id);
        var endpoint = new TrunkEndpoint("127.0.0.1", Port, TrunkTransport.Tls, CarrierPki.SbcName, true, SrtpMode.Required, username,
            password is null ? null : _keys.Protect(Encoding.UTF8.GetBytes(password), purpose), purpose);
        return new PstnTrunk(id, _tenant, name, endpoint, 2, new PeerTarget(PeerKind.Trunk, name, id, _tenant, "127.0.0.1", Port, CarrierPki.SbcName));
    }

    private PstnDirectory Directory(IReadOnlyList<PstnTrunk> trunks, string? routeCallerId = null, InboundNumber? extraNumber = null) => new(
        [new PstnSettings { TenantId = _tenant, Country = "DE" }],
        [new OutboundRoute { TenantId = _tenant, Name = "All", Pattern = "+*", Priority = 1, TrunkIds = [.. trunks.Select(t => t.Id)], CallerId = routeCallerId }],
        new PeerDirectory(trunks.Select(t => new KnownPeer(PeerKind.Trunk, t.Name, t.Id, _tenant, CarrierPki.SbcName))),
        trunks,
        [new InboundNumber { TenantId = _tenant, Number = TenantNumber, DestinationExtensionId = Guid.CreateVersion7() }, .. new[] { extraNumber }.OfType<InboundNumber>()]);

    /// <summary>The carrier's SBC accepts the switch's connection, requiring its client certificate (platform root, clientAuth).</summary>
    private async Task<TestPhone> AcceptCarrierAsync()
    {
        var socket = await _listening.AcceptAsync(_ct);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(_carrierPki!.Sbc.Certificate, [.. _carrierPki.Sbc.Issuers], offline: true),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, client, _, _) => client is not null,
        }, _ct);
        var carrier = new TestPhone(ssl, "carrier", Port);
        _carriers.Add(carrier);
        return carrier;
    }

    private async Task AssertAudioFlowsAsync(TestPhone alice, NegotiatedMedia aliceMedia, TestPhone carrier, NegotiatedMedia carrierMedia)
    {
        using var aliceOut = aliceMedia.LocalCrypto.CreateContext();
        using var aliceIn = aliceMedia.RemoteCrypto.CreateContext();
        using var carrierOut = carrierMedia.LocalCrypto.CreateContext();
        using var carrierIn = carrierMedia.RemoteCrypto.CreateContext();
        await alice.SendAudioAsync(aliceMedia, aliceOut, 1, 0x5A, _ct);
        var atCarrier = await carrier.ReceiveAudioAsync(carrierIn, _ct);
        await carrier.SendAudioAsync(carrierMedia, carrierOut, 1, 0xA5, _ct);
        var atAlice = await alice.ReceiveAudioAsync(aliceIn, _ct);

        Assert.All(atCarrier.Payload, b => Assert.Equal(0x5A, b));
        Assert.All(atAlice.Payload, b => Assert.Equal(0xA5, b));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var carrier in _carriers)
        {
            await carrier.DisposeAsync();
        }

        _listening.Dispose();
        _keys.Dispose();
        _carrierPki?.Dispose();
    }
}
