using System.Security.Cryptography;
using System.Text;
using HostedPbx.Data.Calls;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Calls.Recording;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Switch.Tests.Transport.Peers;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// A carrier calling a tenant's number (issue 11, inbound) through the real listener, identity gate, trunk requests and
/// call controller: the carrier's SBC connects with its own certificate over in-memory TLS, the extension's handset
/// answers, and SRTP flows over loopback UDP.
/// </summary>
public sealed class InboundCallTests : IDisposable
{
    private const string Number = "+4930999000";
    private const string CallerNumber = "+4917012345";
    private static readonly Guid s_carrierId = Guid.CreateVersion7();
    private static readonly Guid s_otherCarrierId = Guid.CreateVersion7();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly CarrierPki _carrier = new(new CertificateIssuer(Microsoft.Extensions.Options.Options.Create(new CertificateAuthorityOptions()), TimeProvider.System));
    private PstnDirectory _directory = PstnDirectory.Empty;

    [Fact]
    public async Task Invite_AssignedNumber_ExtensionRingsAnswersAndAudioFlowsBothWays()
    {
        await using var harness = Harness(36000);
        var tenant = harness.AddTenant();
        var trunk = Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);

        var call = await carrier.InviteAsync(Number, _ct);
        var invite = await bob.RequestAsync("INVITE", _ct);
        var dialog = await bob.RingAsync(invite, _ct);
        await carrier.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        var bobMedia = await bob.AcceptAsync(invite, dialog, _ct);
        var carrierMedia = await carrier.CompleteAsync(call, _ct);
        await bob.RequestAsync("ACK", _ct);

        // The handset sees who called, as the carrier said it.
        Assert.True(invite.TryGetHeader(KnownHeader.From, out var from));
        Assert.StartsWith($"<sip:{CallerNumber}@", Encoding.UTF8.GetString(from), StringComparison.Ordinal);
        await AssertAudioFlowsAsync(carrier, carrierMedia, bob, bobMedia);
        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Caller);
        Assert.Equal((true, trunk.Id, tenant), (leg.IsInbound, leg.Trunk!.Id, leg.TenantId));

        // The handset hangs up: the carrier hears BYE in its dialog, and the record says what the carrier's leg was.
        await bob.SendAsync(bob.InDialog("BYE", dialog), _ct);
        var bye = await carrier.RequestAsync("BYE", _ct);
        Assert.Equal(call.CallId, bye.CallId);
        await carrier.OkAsync(bye, _ct);
        var record = await EndedRecordAsync(harness);
        var carrierLeg = record.Legs.Single(l => l.Position == 1);
        var statement = SecurityStatement.Render(record);
        Assert.Equal((CallType.InboundPstn, CallerNumber, "202"), (record.Type, record.FromParty, record.ToParty));
        Assert.Equal((Data.Entities.LegKind.Trunk, trunk.Id, true, MediaProtection.Srtp, true),
            (carrierLeg.Kind, carrierLeg.TrunkId, carrierLeg.PeerCertificateVerified, carrierLeg.MediaProtection, carrierLeg.LeavesNetwork));
        Assert.Contains($"Call from the outside number {CallerNumber} to 202.", statement, StringComparison.Ordinal);
        Assert.Contains(
            $"reached our switch over a connection encrypted with {carrierLeg.TlsVersion} from a carrier whose certificate we verified, its audio encrypted (SRTP) between the carrier and our switch; beyond the carrier it is not protected by us.",
            statement, StringComparison.Ordinal);
        Assert.StartsWith("TLSv1.", carrierLeg.TlsVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_NumberWithoutThePlus_RingsTheSameExtension()
    {
        await using var harness = Harness(36040);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);

        await carrier.InviteAsync(Number[1..], _ct);

        var invite = await bob.RequestAsync("INVITE", _ct);
        Assert.True(invite.TryGetHeader(KnownHeader.From, out var from));
        Assert.StartsWith($"<sip:{CallerNumber}@", Encoding.UTF8.GetString(from), StringComparison.Ordinal);
        Assert.Single(harness.Calls.ActiveCalls);
    }

    [Theory]
    [InlineData("+4930999001")]
    [InlineData("030999000")]
    [InlineData("not-a-number")]
    public async Task Invite_NumberNotAssigned_404NumberNotAssigned(string called)
    {
        await using var harness = Harness(36080);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);

        var call = await carrier.InviteAsync(called, _ct);

        var refused = await carrier.ResponseAsync(call.CallId, "INVITE", 404, _ct);
        Assert.Equal("Number Not Assigned", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Empty(harness.Calls.ActiveCalls);
        await bob.PingAsync(_ct);
        Assert.False(bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
    }

    [Fact]
    public async Task Connect_CertificateOfNoKnownCarrier_RefusedAuditedAndTheTenantNeverRings()
    {
        await using var harness = Harness(36120);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        using var stranger = _carrier.Issue("sbc.stranger.test");

        var (carrier, served) = await harness.ConnectCarrierAsync(stranger, CallerNumber, _ct);
        try
        {
            // With TLS 1.3 the client finishes first and learns of the refusal when it writes or reads.
            await carrier.InviteAsync(Number, _ct);
        }
        catch (IOException)
        {
        }

        await served.WaitAsync(_ct);
        Assert.Empty(harness.Calls.ActiveCalls);
        Assert.Contains(Drain(harness), e => e.Action == "sip.tls.handshake" && e.Reason!.Contains("are no carrier's or trunk's", StringComparison.Ordinal));
        await bob.PingAsync(_ct);
        Assert.False(bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
    }

    [Fact]
    public async Task Invite_KnownCarrierThatDoesNotCarryTheTenant_404AndAudited()
    {
        await using var harness = Harness(36160);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        using var other = _carrier.Issue("sbc.other-carrier.test");
        var carrier = await CarrierAsync(harness, other);

        var call = await carrier.InviteAsync(Number, _ct);

        // The carrier learns nothing of whose number it is; the audit log says why.
        var refused = await carrier.ResponseAsync(call.CallId, "INVITE", 404, _ct);
        Assert.Equal("Number Not Assigned", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Contains(Drain(harness), e => e.Action == "pstn.inbound" && e.Reason!.Contains("Carrier Two sent a call to +4930999000", StringComparison.Ordinal));
        await bob.PingAsync(_ct);
        Assert.False(bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE"));
    }

    [Fact]
    public async Task Invite_TenantSuspended_403()
    {
        await using var harness = Harness(36200);
        var tenant = harness.AddTenant();
        Publish(tenant, suspended: true);
        await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);

        var call = await carrier.InviteAsync(Number, _ct);

        await carrier.ResponseAsync(call.CallId, "INVITE", 403, _ct);
        Assert.Empty(harness.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_TenantAtItsCallLimit_403TenantCallLimitReached()
    {
        await using var harness = Harness(36240);
        var tenant = harness.AddTenant(maxConcurrentCalls: 1);
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        await carrier.InviteAsync(Number, _ct);
        await bob.RequestAsync("INVITE", _ct);

        var second = await carrier.InviteAsync(Number, _ct);

        var refused = await carrier.ResponseAsync(second.CallId, "INVITE", 403, _ct);
        Assert.Equal("Tenant call limit reached", Encoding.ASCII.GetString(refused.ReasonPhrase));
    }

    [Fact]
    public async Task Invite_TrunkChannelsAllTaken_503UntilACallEnds()
    {
        await using var harness = Harness(36560);
        var tenant = harness.AddTenant();
        var trunk = Publish(tenant, channels: 1);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        var first = await carrier.InviteAsync(Number, _ct);
        await bob.RequestAsync("INVITE", _ct);

        var second = await carrier.InviteAsync(Number, _ct);

        var refused = await carrier.ResponseAsync(second.CallId, "INVITE", 503, _ct);
        Assert.Equal("All Channels Busy", Encoding.ASCII.GetString(refused.ReasonPhrase));
        await carrier.SendAsync(carrier.Request("CANCEL", first.RemoteTarget, first.CallId, first.Local, first.Remote, 1, branch: first.InviteBranch), _ct);
        await carrier.ResponseAsync(first.CallId, "INVITE", 487, _ct);
        await EndedRecordAsync(harness);
        Assert.Equal(0, harness.Trunks!.Channels.InUse(trunk.Id));
        var third = await carrier.InviteAsync(Number, _ct);
        await bob.RequestAsync("INVITE", _ct);
        Assert.Equal(1, harness.Trunks.Channels.InUse(trunk.Id));
        Assert.Equal(third.CallId, Assert.Single(harness.Calls.ActiveCalls).CallId);
    }

    [Fact]
    public async Task ReInvite_FromTheCarrierMidCall_FreshKeyAndAudioFlowsUnderIt()
    {
        await using var harness = Harness(36640);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        var call = await carrier.InviteAsync(Number, _ct);
        var (_, bobMedia) = await bob.AnswerAsync(_ct);
        var carrierMedia = await carrier.CompleteAsync(call, _ct);

        // A carrier's session refresh (RFC 3261 §14, RFC 4028) with a new offer: answered on the carrier's side alone.
        var offer = SdesOfferAnswer.CreateOffer(carrier.LocalMedia);
        await carrier.SendAsync(carrier.InDialog("INVITE", call, SdpWriter.Write(offer.Offer)), _ct);
        var ok = await carrier.ResponseAsync(call.CallId, "INVITE", 200, _ct);
        Assert.True(SdpReader.TryRead(ok.Body, out var answer, out _));
        var rekeyed = SdesOfferAnswer.AcceptAnswer(offer, answer).Media!;
        await carrier.SendAsync(carrier.Request("ACK", call.RemoteTarget, call.CallId, call.Local, call.Remote, call.CSeq), _ct);

        Assert.False(rekeyed.RemoteCrypto.Keys.MasterKey.SequenceEqual(carrierMedia.RemoteCrypto.Keys.MasterKey));
        await AssertAudioFlowsAsync(carrier, rekeyed, bob, bobMedia);
        Assert.False(bob.HasReceived<SipRequest>(r => r.MethodName == "INVITE" && r.ToTag.Length > 0));
    }

    [Fact]
    public async Task Connection_CarrierDropsDuringTheCall_TheHandsetHearsBye()
    {
        await using var harness = Harness(36600);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        var call = await carrier.InviteAsync(Number, _ct);
        var (dialog, _) = await bob.AnswerAsync(_ct);
        await carrier.CompleteAsync(call, _ct);

        await carrier.DisposeAsync();

        Assert.Equal(dialog.CallId, (await bob.RequestAsync("BYE", _ct)).CallId);
        await EndedRecordAsync(harness);
        Assert.Empty(harness.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_PlainRtpOfferOnAnSrtpRequiredTrunk_488WithReason()
    {
        await using var harness = Harness(36280);
        var tenant = harness.AddTenant();
        Publish(tenant);
        await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        const string plain = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

        var call = await carrier.InviteAsync(Number, _ct, sdp: plain);

        var refused = await carrier.ResponseAsync(call.CallId, "INVITE", 488, _ct);
        Assert.Equal("plain RTP refused, SRTP required", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Empty(harness.Calls.ActiveCalls);
    }

    [Theory]
    [InlineData(SrtpMode.Off, 36680)]
    [InlineData(SrtpMode.Preferred, 36720)]
    public async Task Invite_PlainRtpOfferOnATrunkAllowedPlain_AnsweredRtpAvpToTheCarrierWhileTheHandsetsLegStaysSrtp(SrtpMode srtp, int ports)
    {
        await using var harness = Harness(ports);
        var tenant = harness.AddTenant();
        Publish(tenant, srtp: srtp, plainAllowed: true);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        var carrierPort = ((System.Net.IPEndPoint)carrier.Media.LocalEndPoint!).Port;
        // RFC 3551: PCMA and PCMU, RFC 4733 events, and a video stream the switch does not relay.
        var plain = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + $"m=audio {carrierPort} RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=rtcp-mux\r\n"
            + "m=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";

        var call = await carrier.InviteAsync(Number, _ct, sdp: plain);
        var invite = await bob.RequestAsync("INVITE", _ct);
        var dialog = await bob.RingAsync(invite, _ct);
        var bobMedia = await bob.AcceptAsync(invite, dialog, _ct);
        var ok = await carrier.ResponseAsync(call.CallId, "INVITE", 200, _ct);
        call.Remote = $"{call.Remote};tag={ok.ToTag}";
        await carrier.SendAsync(carrier.Request("ACK", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1), _ct);

        // The carrier's answer: RTP/AVP, no keys, its codecs in its order with its events, the video refused in place.
        Assert.True(SdpReader.TryRead(ok.Body, out var answer, out _));
        var text = Encoding.ASCII.GetString(ok.Body);
        Assert.DoesNotContain("a=crypto", text, StringComparison.Ordinal);
        Assert.Contains(" RTP/AVP 8 0 101\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:101 0-15\r\n", text, StringComparison.Ordinal);
        Assert.Contains("m=video 0 RTP/AVP 96\r\n", text, StringComparison.Ordinal);
        // The handset was offered SRTP all the same.
        Assert.Contains("RTP/SAVP", Encoding.ASCII.GetString(invite.Body), StringComparison.Ordinal);
        var switchPort = answer.Media[0].Port;

        // Plain RTP from the carrier reaches 202 under 202's SRTP key, and 202's SRTP reaches the carrier plain.
        using var bobIn = bobMedia.RemoteCrypto.CreateContext();
        using var bobOut = bobMedia.LocalCrypto.CreateContext();
        var heardByBob = bob.ReceiveAudioAsync(bobIn, _ct);
        var sequence = (ushort)1;
        while (!heardByBob.IsCompleted)
        {
            await carrier.Media.SendToAsync(PlainPcma(sequence++, 0x5A), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, switchPort), _ct);
            await Task.WhenAny(heardByBob, Task.Delay(TimeSpan.FromMilliseconds(20), _ct));
        }

        Assert.All((await heardByBob).Payload, b => Assert.Equal(0x5A, b));
        await bob.SendAudioAsync(bobMedia, bobOut, 1, 0xA5, _ct);
        var buffer = new byte[2048];
        var received = await carrier.Media.ReceiveAsync(buffer, _ct);
        Assert.Equal(12 + 160, received);
        Assert.All(buffer[12..received], b => Assert.Equal(0xA5, b));

        // The record says what the carrier's leg was: no SRTP between the carrier and us.
        await carrier.SendAsync(carrier.InDialog("BYE", call), _ct);
        await carrier.ResponseAsync(call.CallId, "BYE", 200, _ct);
        Assert.Equal(dialog.CallId, (await bob.RequestAsync("BYE", _ct)).CallId);
        var record = await EndedRecordAsync(harness);
        var legs = record.Legs.OrderBy(l => l.Position).ToList();
        Assert.Equal((MediaProtection.None, MediaProtection.Srtp), (legs[0].MediaProtection, legs[1].MediaProtection));
        Assert.Contains("its audio NOT encrypted between the carrier and our switch", SecurityStatement.Render(record), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReInvite_PlainCallOfferedSrtpMidCall_488AndThePlainLegStaysAsRecorded()
    {
        await using var harness = Harness(36760);
        var tenant = harness.AddTenant();
        Publish(tenant, srtp: SrtpMode.Preferred, plainAllowed: true);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        var plain = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        var call = await carrier.InviteAsync(Number, _ct, sdp: plain);
        await bob.AnswerAsync(_ct);
        var ok = await carrier.ResponseAsync(call.CallId, "INVITE", 200, _ct);
        call.Remote = $"{call.Remote};tag={ok.ToTag}";
        await carrier.SendAsync(carrier.Request("ACK", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1), _ct);

        // The leg's protection was agreed plain; an SRTP offer now would make its facts untrue for part of the call.
        await carrier.SendAsync(carrier.InDialog("INVITE", call, SdpWriter.Write(SdesOfferAnswer.CreateOffer(carrier.LocalMedia).Offer)), _ct);
        var refused = await carrier.ResponseAsync(call.CallId, "INVITE", 488, _ct);
        // A plain session refresh is answered as before.
        await carrier.SendAsync(carrier.InDialog("INVITE", call, plain.Replace("1 1 IN", "1 2 IN", StringComparison.Ordinal)), _ct);
        var refreshed = await carrier.ResponseAsync(call.CallId, "INVITE", 200, _ct);

        Assert.Equal("Media protection cannot change", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Contains(" RTP/AVP 0", Encoding.ASCII.GetString(refreshed.Body), StringComparison.Ordinal);
        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Caller);
        Assert.True(leg.Media!.Media!.IsPlain);
    }

    [Fact]
    public async Task Cancel_FromTheCarrierBeforeAnswer_StopsTheExtensionRinging()
    {
        await using var harness = Harness(36320);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        var call = await carrier.InviteAsync(Number, _ct);
        var invite = await bob.RequestAsync("INVITE", _ct);
        await bob.RingAsync(invite, _ct);
        await carrier.ResponseAsync(call.CallId, "INVITE", 180, _ct);

        await carrier.SendAsync(carrier.Request("CANCEL", call.RemoteTarget, call.CallId, call.Local, call.Remote, 1, branch: call.InviteBranch), _ct);

        // RFC 3261 §9.2: 200 to the CANCEL, 487 to the INVITE; the handset's ringing INVITE is cancelled too.
        await carrier.ResponseAsync(call.CallId, "CANCEL", 200, _ct);
        await carrier.ResponseAsync(call.CallId, "INVITE", 487, _ct);
        Assert.Equal(invite.CallId, (await bob.RequestAsync("CANCEL", _ct)).CallId);
        var record = await EndedRecordAsync(harness);
        Assert.Equal((CallType.InboundPstn, CallOutcome.Cancelled), (record.Type, record.Outcome));
    }

    [Fact]
    public async Task Bye_FromTheCarrier_EndsTheHandsetsLegToo()
    {
        await using var harness = Harness(36360);
        var tenant = harness.AddTenant();
        Publish(tenant);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);
        var call = await carrier.InviteAsync(Number, _ct);
        var (dialog, _) = await bob.AnswerAsync(_ct);
        await carrier.CompleteAsync(call, _ct);

        await carrier.SendAsync(carrier.InDialog("BYE", call), _ct);

        await carrier.ResponseAsync(call.CallId, "BYE", 200, _ct);
        Assert.Equal(dialog.CallId, (await bob.RequestAsync("BYE", _ct)).CallId);
        var record = await EndedRecordAsync(harness);
        Assert.Equal((CallType.InboundPstn, CallOutcome.Answered), (record.Type, record.Outcome));
        Assert.Empty(harness.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_FloodFromACarrier_BoundedPerCarrierAndAHandsetsCallStillRings()
    {
        await using var harness = Harness(36400, ports: 120);
        var tenant = harness.AddTenant(maxConcurrentCalls: 100);
        Publish(tenant, channels: 100);
        var alice = await harness.ConnectAsync(tenant, "201", _ct);
        await harness.ConnectAsync(tenant, "202", _ct);
        var carol = await harness.ConnectAsync(tenant, "203", _ct);
        var carrier = await CarrierAsync(harness, _carrier.Sbc);

        var flood = new List<PhoneDialog>();
        for (var i = 0; i < 30; i++)
        {
            flood.Add(await carrier.InviteAsync(Number, _ct));
        }

        // The carrier's INVITEs are taken in order: the ten the per-peer bound allows ring, the rest are refused.
        var refused = await carrier.ResponseAsync(flood[^1].CallId, "INVITE", 503, _ct);
        Assert.Equal("Too Many Pending Calls From This Carrier", Encoding.ASCII.GetString(refused.ReasonPhrase));
        await alice.InviteAsync("203", _ct);
        var ringing = await carol.RequestAsync("INVITE", _ct);
        Assert.True(ringing.TryGetHeader(KnownHeader.From, out var from));
        Assert.StartsWith("<sip:201@", Encoding.UTF8.GetString(from), StringComparison.Ordinal);
        Assert.Equal(10, harness.Calls.ActiveCalls.Count(c => c.Caller is TrunkLeg));
        Assert.Contains(Drain(harness), e => e.Action == "pstn.inbound" && e.Reason!.Contains("already has 10 calls ringing", StringComparison.Ordinal));
    }

    /// <summary>
    /// Issue 10 item 1: a carrier's call is recorded under the tenant's "external calls only" policy, or, on a tenant
    /// that never records, under its trunk's own policy, which overrides the tenant's.
    /// </summary>
    [Theory]
    [InlineData(false, "external calls")]
    [InlineData(true, "carrier calls")]
    public async Task Invite_ExternalOnlyForTheTenantOrAlwaysForTheTrunk_TheCarriersCallIsRecordedUnderThatPolicy(bool byTrunk, string expectedPolicy)
    {
        var folder = Directory.CreateTempSubdirectory("hostedpbx-inbound-").FullName;
        using var protector = new KeyProtector(RandomNumberGenerator.GetBytes(32));
        var tenant = Guid.CreateVersion7();
        CallRecorder? recorder = null;
        try
        {
            await using var harness = new CallHarness(36520, 36559, pstn: () => _directory, carrierTrust: new PeerTrust(_carrier.Anchors), recorder: h =>
            {
                h.AddTenant(id: tenant);
                var store = new RecordingStore(null, protector, folder, "test", h.Time, NullLogger.Instance);
                return recorder = new CallRecorder(protector, folder, store, h.Time, NullLogger.Instance);
            });
            var trunk = Publish(tenant);
            var tenantPolicy = byTrunk
                ? new RecordingPolicyChoice(Guid.CreateVersion7(), "never", RecordingMode.Never, Announce: false)
                : new RecordingPolicyChoice(Guid.CreateVersion7(), "external calls", RecordingMode.ExternalOnly, Announce: false);
            var trunkPolicy = new RecordingPolicyChoice(Guid.CreateVersion7(), "carrier calls", RecordingMode.Always, Announce: false);
            recorder!.Policies = new RecordingPolicyBook(
                new Dictionary<Guid, RecordingPolicyChoice> { [tenantPolicy.Id] = tenantPolicy, [trunkPolicy.Id] = trunkPolicy },
                new Dictionary<Guid, Guid?> { [tenant] = tenantPolicy.Id }, new Dictionary<(Guid, string), Guid?>(),
                trunkPolicies: byTrunk ? new Dictionary<Guid, Guid?> { [trunk.Id] = trunkPolicy.Id } : null);
            var bob = await harness.ConnectAsync(tenant, "202", _ct);
            var carrier = await CarrierAsync(harness, _carrier.Sbc);
            var call = await carrier.InviteAsync(Number, _ct);
            var (dialog, bobMedia) = await bob.AnswerAsync(_ct);
            var carrierMedia = await carrier.CompleteAsync(call, _ct);
            await AssertAudioFlowsAsync(carrier, carrierMedia, bob, bobMedia);

            await bob.SendAsync(bob.InDialog("BYE", dialog), _ct);

            var record = await EndedRecordAsync(harness);
            Assert.True(record.Recorded);
            Assert.Contains($"The call was recorded under your policy \"{expectedPolicy}\"", SecurityStatement.Render(record), StringComparison.Ordinal);
        }
        finally
        {
            recorder?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Render_InboundCallOverAPlainTrunk_SaysNotEncrypted()
    {
        var record = new CallRecord
        {
            Type = CallType.InboundPstn, SipCallId = "c", FromParty = CallerNumber, ToParty = "202", StartedAt = DateTimeOffset.UnixEpoch, AnsweredAt = DateTimeOffset.UnixEpoch,
        };
        record.Legs.Add(new CallLegRecord { Position = 1, Kind = Data.Entities.LegKind.Trunk, Party = CallerNumber, Transport = SignallingTransport.Udp, MediaProtection = MediaProtection.None, LeavesNetwork = true });
        record.Legs.Add(new CallLegRecord
        {
            Position = 2, Kind = Data.Entities.LegKind.Handset, Party = "202", Transport = SignallingTransport.Tls, TlsVersion = "TLSv1.3", PeerCertificateVerified = true,
            MediaProtection = MediaProtection.Srtp, SrtpSuite = "AES_CM_128_HMAC_SHA1_80",
        });

        var statement = SecurityStatement.Render(record);

        Assert.Contains(
            "The call from the telephone network reached our switch over a connection that was NOT encrypted, its audio NOT encrypted between the carrier and our switch; beyond the carrier it is not protected by us.",
            statement, StringComparison.Ordinal);
        Assert.DoesNotContain("encrypted with TLS", statement, StringComparison.Ordinal);
    }

    private CallHarness Harness(int mediaPortMin, int ports = 40) =>
        new(mediaPortMin, mediaPortMin + ports - 1, pstn: () => _directory, carrierTrust: new PeerTrust(_carrier.Anchors));

    /// <summary>
    /// The operator's carrier "Carrier One" (its SBC's certificate name), the tenant's trunk to it, and the number that
    /// rings 202; "Carrier Two" is known to the switch too, but carries no trunk of this tenant.
    /// </summary>
    private PstnTrunk Publish(Guid tenant, bool suspended = false, int channels = 4, SrtpMode srtp = SrtpMode.Required, bool plainAllowed = false)
    {
        var endpoint = new TrunkEndpoint(CarrierPki.SbcName, 5061, TrunkTransport.Tls, CarrierPki.SbcName, true, srtp, null, null, "");
        var trunk = new PstnTrunk(Guid.CreateVersion7(), tenant, "Main", endpoint, channels,
            new PeerTarget(PeerKind.Trunk, "Carrier One", s_carrierId, null, "127.0.0.1", 5061, CarrierPki.SbcName), plainAllowed);
        var extension = new Extension { TenantId = tenant, Number = "202", DisplayName = "Bob" };
        _directory = new PstnDirectory(
            [], [],
            new PeerDirectory([
                new KnownPeer(PeerKind.Trunk, "Carrier One", s_carrierId, null, CarrierPki.SbcName),
                new KnownPeer(PeerKind.Trunk, "Carrier Two", s_otherCarrierId, null, "sbc.other-carrier.test"),
            ]),
            [trunk],
            [new InboundNumber { TenantId = tenant, Number = Number, DestinationExtensionId = extension.Id, DestinationExtension = extension }],
            suspended ? [tenant] : []);
        return trunk;
    }

    private async Task<TestPhone> CarrierAsync(CallHarness harness, IssuedCertificate certificate)
    {
        var (carrier, _) = await harness.ConnectCarrierAsync(certificate, CallerNumber, _ct);
        // The carrier's keep-alive is answered once the switch has admitted its connection as a trunk peer.
        await carrier.PingAsync(_ct);
        return carrier;
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

    private async Task AssertAudioFlowsAsync(TestPhone carrier, NegotiatedMedia carrierMedia, TestPhone bob, NegotiatedMedia bobMedia)
    {
        using var carrierOut = carrierMedia.LocalCrypto.CreateContext();
        using var carrierIn = carrierMedia.RemoteCrypto.CreateContext();
        using var bobOut = bobMedia.LocalCrypto.CreateContext();
        using var bobIn = bobMedia.RemoteCrypto.CreateContext();
        await carrier.SendAudioAsync(carrierMedia, carrierOut, 1, 0x5A, _ct);
        var atBob = await bob.ReceiveAudioAsync(bobIn, _ct);
        await bob.SendAudioAsync(bobMedia, bobOut, 1, 0xA5, _ct);
        var atCarrier = await carrier.ReceiveAudioAsync(carrierIn, _ct);

        Assert.All(atBob.Payload, b => Assert.Equal(0x5A, b));
        Assert.All(atCarrier.Payload, b => Assert.Equal(0xA5, b));
    }

    /// <summary>20 ms of plain PCMA (RFC 3551), all <paramref name="fill"/>, as a legacy carrier sends it.</summary>
    private static byte[] PlainPcma(ushort sequence, byte fill)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        packet[1] = 8;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x4C45_4741u);
        packet.AsSpan(12).Fill(fill);
        return packet;
    }

    private static List<AuditEvent> Drain(CallHarness harness)
    {
        var events = new List<AuditEvent>();
        while (harness.Audit.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    public void Dispose() => _carrier.Dispose();
}
