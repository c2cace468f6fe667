using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Nodes;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Tests.Calls.Support;
using HostedPbx.Switch.Tests.Transport.Peers;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// The toll-fraud guards through the real call controller (issue 11, "Done when: Fraud"): a handset's 20 quick
/// international calls trip the burst rule and suspend the tenant's outbound calls, while 112 still reaches the carrier
/// (a loopback SBC over mutual TLS) and its call record says it was an emergency call; each refusal kind is audited.
/// </summary>
public sealed class FraudBurstCallTests : IAsyncDisposable
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Socket _listening = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<TestPhone> _carriers = [];
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly CarrierPki _carrierPki = new(new CertificateIssuer(Microsoft.Extensions.Options.Options.Create(new CertificateAuthorityOptions()), TimeProvider.System));
    private PstnDirectory _directory = PstnDirectory.Empty;

    public FraudBurstCallTests()
    {
        _listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listening.Listen();
    }

    private int Port => ((IPEndPoint)_listening.LocalEndPoint!).Port;

    [Fact]
    public async Task Invite_TwentyQuickInternationalCalls_TripTheBurstAndSuspend_While112StillReachesTheCarrierMarkedEmergency()
    {
        await using var harness = Harness(37200);
        var carrierTrunk = Trunk();
        // UK calls route to a trunk that is not there (the call is routed, and answered 503 by the trunk leg);
        // German and emergency calls to the loopback carrier.
        _directory = Directory(carrierTrunk, burstAttempts: 10);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var answers = new List<(int Status, string Reason)>();
        for (var i = 0; i < 20; i++)
        {
            var attempt = await alice.InviteAsync("00442079460018", _ct);
            var final = await alice.NextAsync<HostedPbx.Switch.Sip.Messages.SipResponse>(r => r.CallId == attempt.CallId && r.StatusCode >= 300, _ct);
            answers.Add((final.StatusCode, Encoding.ASCII.GetString(final.ReasonPhrase)));
            harness.Time.Advance(TimeSpan.FromSeconds(3));
        }

        var national = await alice.InviteAsync("030123456", _ct);
        var nationalRefused = await alice.ResponseAsync(national.CallId, "INVITE", 403, _ct);

        Assert.All(answers.Take(10), a => Assert.Equal((503, "No trunk available"), a));
        Assert.All(answers.Skip(10), a => Assert.Equal((403, "Outbound calls suspended"), a));
        Assert.Equal("Outbound calls suspended", Encoding.ASCII.GetString(nationalRefused.ReasonPhrase));

        // 112 goes out all the same, to the carrier, and the call record marks it.
        var emergency = await alice.InviteAsync("112", _ct);
        var (carrier, invite, dialog) = await CarrierAnswersAsync(alice, emergency);
        Assert.StartsWith("sip:112@127.0.0.1:", Encoding.UTF8.GetString(invite.RequestUri), StringComparison.Ordinal);
        var leg = Assert.IsType<TrunkLeg>(Assert.Single(harness.Calls.ActiveCalls).Callee);
        Assert.True(leg.Emergency);
        await carrier.SendAsync(carrier.InDialog("BYE", dialog), _ct);
        await alice.RequestAsync("BYE", _ct);
        var record = await EndedRecordAsync(harness, emergency.CallId);
        Assert.Equal((CallType.OutboundPstn, true, "112"), (record.Type, record.Emergency, record.ToParty));

        var events = Drain(harness);
        var suspend = Assert.Single(events, e => e.Action == FraudAuditActions.Suspend);
        Assert.Equal((AuditOutcome.Denied, _tenant, "201"), (suspend.Outcome, suspend.TenantId, suspend.ActorName));
        Assert.Contains("11 international attempts within 5 minutes (more than 10)", suspend.Reason, StringComparison.Ordinal);
        // The 9 international attempts after the one that tripped it, and the national call.
        Assert.Equal(10, events.Count(e => e.Action == FraudAuditActions.Suspended));
        Assert.DoesNotContain(events, e => e.Action.StartsWith("pstn.outbound", StringComparison.Ordinal) && e.Reason!.Contains("+112", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("09001234567", "Destination in a blocked range", FraudAuditActions.BlockedRange, "+49900 Premium rate, Germany")]
    [InlineData("0033142681234", "Destination country not allowed", FraudAuditActions.Country, "+33142681234 is in FR, not in the allowed countries DE, GB")]
    public async Task Invite_BlockedRangeOrCountryNotAllowed_RefusedWithTheReason_AuditedWithTheCheck(string dialled, string reason, string action, string detail)
    {
        await using var harness = Harness(37220);
        _directory = Directory(Trunk(), burstAttempts: 10);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var call = await alice.InviteAsync(dialled, _ct);

        var refused = await alice.ResponseAsync(call.CallId, "INVITE", 403, _ct);
        Assert.Equal(reason, Encoding.ASCII.GetString(refused.ReasonPhrase));
        // The caller is told what stopped the call, never the list or the rule behind it; the audit log has both.
        Assert.DoesNotContain("Premium", Encoding.ASCII.GetString(refused.ReasonPhrase), StringComparison.Ordinal);
        var audited = Assert.Single(Drain(harness), e => e.Action == action);
        Assert.Contains(detail, audited.Reason, StringComparison.Ordinal);
        Assert.Empty(harness.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_TenantUnblockedThePlatformRanges_PremiumNumberRoutes_ItsOwnPrefixStillRefused()
    {
        await using var harness = Harness(37240);
        var trunk = Trunk();
        _directory = Directory(trunk, burstAttempts: 10, platformRangesUnblocked: true, ownBlocked: ["+4930666"]);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var own = await alice.InviteAsync("030666123", _ct);
        var ownRefused = await alice.ResponseAsync(own.CallId, "INVITE", 403, _ct);
        var premium = await alice.InviteAsync("09001234567", _ct);
        var carrier = await AcceptCarrierAsync();
        var invite = await carrier.RequestAsync("INVITE", _ct);
        // The carrier declines it, which ends the call (the guard let it through; that was the point).
        await carrier.SendAsync(carrier.Response(invite, 486, "busy"), _ct);
        await alice.ResponseAsync(premium.CallId, "INVITE", 486, _ct);

        Assert.Equal("Destination in a blocked range", Encoding.ASCII.GetString(ownRefused.ReasonPhrase));
        Assert.StartsWith("sip:+499001234567@", Encoding.UTF8.GetString(invite.RequestUri), StringComparison.Ordinal);
        Assert.Contains(Drain(harness), e => e.Action == FraudAuditActions.BlockedRange && e.Reason!.Contains("+4930666 blocked by the tenant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invite_ConcurrentLimitReached_NextCallRefusedWithReason_AnEmergencyCallStillGoes_AndOneEndingLetsTheNextThrough()
    {
        await using var harness = Harness(37260);
        _directory = Directory(Trunk(), burstAttempts: 10, maxConcurrent: 1);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var first = await alice.InviteAsync("030123456", _ct);
        var (carrier, _, dialog) = await CarrierAnswersAsync(alice, first);

        var second = await alice.InviteAsync("030654321", _ct);
        var refused = await alice.ResponseAsync(second.CallId, "INVITE", 503, _ct);
        // 112 is never held back by a limit: it reaches the carrier while the first call is up.
        var emergency = await alice.InviteAsync("112", _ct);
        var emergencyInvite = await carrier.RequestAsync("INVITE", _ct);
        await carrier.SendAsync(carrier.Response(emergencyInvite, 486, "busy"), _ct);
        await alice.ResponseAsync(emergency.CallId, "INVITE", 486, _ct);

        await carrier.SendAsync(carrier.InDialog("BYE", dialog), _ct);
        await alice.RequestAsync("BYE", _ct);
        await EndedRecordAsync(harness, first.CallId);
        var third = await alice.InviteAsync("030777777", _ct);
        var thirdInvite = await carrier.RequestAsync("INVITE", _ct);
        await carrier.SendAsync(carrier.Response(thirdInvite, 486, "busy"), _ct);
        await alice.ResponseAsync(third.CallId, "INVITE", 486, _ct);

        Assert.Equal("Too many external calls", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.StartsWith("sip:112@", Encoding.UTF8.GetString(emergencyInvite.RequestUri), StringComparison.Ordinal);
        Assert.StartsWith("sip:+4930777777@", Encoding.UTF8.GetString(thirdInvite.RequestUri), StringComparison.Ordinal);
        var audited = Assert.Single(Drain(harness), e => e.Action == FraudAuditActions.Concurrent);
        Assert.Contains("1 external calls active, the limit is 1", audited.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_OneCallHereAndOnePublishedByAnotherLiveNode_LimitOfTwoReached_NextCallRefusedAsOnOneNode_112StillGoes()
    {
        // Another live node published one running call of this tenant (and one of another tenant, which never counts here).
        IReadOnlyList<ExternalCall> otherNodes = [new(Guid.CreateVersion7(), _tenant, null), new(Guid.CreateVersion7(), Guid.CreateVersion7(), null)];
        await using var harness = Harness(37300, () => otherNodes);
        _directory = Directory(Trunk(), burstAttempts: 10, maxConcurrent: 2);
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var first = await alice.InviteAsync("030123456", _ct);
        var (carrier, _, _) = await CarrierAnswersAsync(alice, first);
        var second = await alice.InviteAsync("030654321", _ct);
        var refused = await alice.ResponseAsync(second.CallId, "INVITE", 503, _ct);
        var emergency = await alice.InviteAsync("112", _ct);
        var emergencyInvite = await carrier.RequestAsync("INVITE", _ct);
        await carrier.SendAsync(carrier.Response(emergencyInvite, 486, "busy"), _ct);
        await alice.ResponseAsync(emergency.CallId, "INVITE", 486, _ct);
        // The other node's call ended (its next beat published none): the next call goes out again.
        otherNodes = [];
        var third = await alice.InviteAsync("030777777", _ct);
        var thirdInvite = await carrier.RequestAsync("INVITE", _ct);
        await carrier.SendAsync(carrier.Response(thirdInvite, 486, "busy"), _ct);
        await alice.ResponseAsync(third.CallId, "INVITE", 486, _ct);

        Assert.Equal("Too many external calls", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.StartsWith("sip:112@", Encoding.UTF8.GetString(emergencyInvite.RequestUri), StringComparison.Ordinal);
        Assert.StartsWith("sip:+4930777777@", Encoding.UTF8.GetString(thirdInvite.RequestUri), StringComparison.Ordinal);
        var audited = Assert.Single(Drain(harness), e => e.Action == FraudAuditActions.Concurrent);
        Assert.Contains("2 external calls active, the limit is 2", audited.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_MinutesOfEndedCallsAndTheRunningOne_ReachTheHourLimit_NextCallRefused()
    {
        await using var harness = Harness(37280);
        var trunk = Trunk();
        // 59.5 minutes of calls that ended (on any node: the directory's snapshot), and a limit of 60 an hour.
        _directory = Directory(trunk, burstAttempts: 10, maxMinutesPerHour: 60, endedMinutes: new ExternalMinutes(59.5, 59.5));
        var alice = await harness.ConnectAsync(_tenant, "201", _ct);

        var running = await alice.InviteAsync("030123456", _ct);
        var (carrier, _, dialog) = await CarrierAnswersAsync(alice, running);
        // Under the limit while the running call has just begun: the next call goes out.
        var under = await alice.InviteAsync("030654321", _ct);
        var underInvite = await carrier.RequestAsync("INVITE", _ct);
        await carrier.SendAsync(carrier.Response(underInvite, 486, "busy"), _ct);
        await alice.ResponseAsync(under.CallId, "INVITE", 486, _ct);
        // 40 s later (inside the media timeout) the running call has used the hour's last half minute.
        harness.Time.Advance(TimeSpan.FromSeconds(40));
        var over = await alice.InviteAsync("030777777", _ct);
        var refused = await alice.ResponseAsync(over.CallId, "INVITE", 403, _ct);

        Assert.Equal("External minutes used up", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Single(harness.Calls.ActiveCalls);
        var audited = Assert.Single(Drain(harness), e => e.Action == FraudAuditActions.Minutes);
        Assert.Contains("60 outbound minutes in the last hour, the limit is 60", audited.Reason, StringComparison.Ordinal);
    }

    private static async Task<CallRecord> EndedRecordAsync(CallHarness harness, string callId)
    {
        while (true)
        {
            var record = await harness.Records.Pending.ReadAsync(TestContext.Current.CancellationToken);
            if (record.SipCallId == callId && record.EndedAt is not null)
            {
                return record;
            }
        }
    }

    private CallHarness Harness(int mediaPortMin, Func<IReadOnlyList<ExternalCall>>? otherNodesCalls = null) =>
        new(mediaPortMin, mediaPortMin + 19, maxPendingInvitesPerDevice: 50, pstn: () => _directory, carrierTrust: new PeerTrust(_carrierPki.Anchors),
            otherNodesCalls: otherNodesCalls);

    private PstnTrunk Trunk()
    {
        var id = Guid.CreateVersion7();
        var endpoint = new TrunkEndpoint("127.0.0.1", Port, TrunkTransport.Tls, CarrierPki.SbcName, true, SrtpMode.Required, null, null, KeyPurpose.TrunkPassword(id));
        return new PstnTrunk(id, _tenant, "Main", endpoint, 4, new PeerTarget(PeerKind.Trunk, "Main", id, _tenant, "127.0.0.1", Port, CarrierPki.SbcName));
    }

    private PstnDirectory Directory(
        PstnTrunk trunk, int burstAttempts, bool platformRangesUnblocked = false, string[]? ownBlocked = null, int maxConcurrent = 4,
        int maxMinutesPerHour = 120, ExternalMinutes? endedMinutes = null) => new(
        [new PstnSettings
        {
            TenantId = _tenant, Country = "DE", AllowedCountries = ["DE", "GB"], BurstAttempts = burstAttempts, BurstWindowMinutes = 5,
            PlatformRangesUnblocked = platformRangesUnblocked, BlockedPrefixes = ownBlocked ?? [], MaxConcurrentExternalCalls = maxConcurrent,
            MaxMinutesPerHour = maxMinutesPerHour,
        }],
        [
            new OutboundRoute { TenantId = _tenant, Name = "UK", Pattern = "+44*", Priority = 1, TrunkIds = [Guid.CreateVersion7()] },
            new OutboundRoute { TenantId = _tenant, Name = "Germany", Pattern = "+49*", Priority = 2, TrunkIds = [trunk.Id] },
        ],
        new PeerDirectory([new KnownPeer(PeerKind.Trunk, trunk.Name, trunk.Id, _tenant, CarrierPki.SbcName)]),
        [trunk],
        // The tenant's own number, which its outbound calls present as caller ID.
        [new InboundNumber { TenantId = _tenant, Number = "+4930999000", DestinationExtensionId = Guid.CreateVersion7() }],
        endedMinutes: endedMinutes is null ? null : new Dictionary<Guid, ExternalMinutes> { [_tenant] = endedMinutes });

    /// <summary>The carrier's SBC takes the switch's connection and answers the call's INVITE; the caller completes it.</summary>
    private async Task<(TestPhone Carrier, HostedPbx.Switch.Sip.Messages.SipRequest Invite, PhoneDialog Dialog)> CarrierAnswersAsync(TestPhone caller, PhoneDialog call)
    {
        var carrier = await AcceptCarrierAsync();
        var invite = await carrier.RequestAsync("INVITE", _ct);
        var dialog = await carrier.RingAsync(invite, _ct);
        await carrier.AcceptAsync(invite, dialog, _ct);
        await caller.CompleteAsync(call, _ct);
        await carrier.RequestAsync("ACK", _ct);
        return (carrier, invite, dialog);
    }

    /// <summary>The carrier's SBC accepts the switch's connection, requiring its client certificate (mutual TLS).</summary>
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

    private static List<AuditEvent> Drain(CallHarness harness)
    {
        var events = new List<AuditEvent>();
        while (harness.Audit.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var carrier in _carriers)
        {
            await carrier.DisposeAsync();
        }

        _listening.Dispose();
        _carrierPki.Dispose();
    }
}
