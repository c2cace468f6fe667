using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Calls;

/// <summary>The call-layer limits that protect every tenant from every other (issue 12 item 4).</summary>
public sealed class CallLimitTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Invite_TenantAtItsCallLimit_Gets403WithTheReason()
    {
        await using var harness = new CallHarness(mediaPortMin: 31400, mediaPortMax: 31449);
        var tenant = harness.AddTenant(maxConcurrentCalls: 1);
        var alice = await harness.ConnectAsync(tenant, "201", _ct);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carol = await harness.ConnectAsync(tenant, "203", _ct);
        await alice.InviteAsync("202", _ct);
        await bob.RequestAsync("INVITE", _ct);

        var second = await carol.InviteAsync("202", _ct);

        var refused = await carol.ResponseAsync(second.CallId, "INVITE", 403, _ct);
        Assert.Equal("Tenant call limit reached", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Single(harness.Calls.ActiveCalls);
        Assert.Contains(Drain(harness), e => e.Outcome == AuditOutcome.Denied && e.Reason!.Contains("MaxConcurrentCalls 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invite_300UnansweredFromOneHandset_AnotherTenantCanStillCall()
    {
        // 30 port pairs: without the per-device limit, 15 unanswered calls would take every one of them.
        await using var harness = new CallHarness(mediaPortMin: 31500, mediaPortMax: 31559, maxPendingInvitesPerDevice: 10);
        var noisy = harness.AddTenant(maxConcurrentCalls: 1000);
        var alice = await harness.ConnectAsync(noisy, "201", _ct);
        var bob = await harness.ConnectAsync(noisy, "202", _ct);
        var quiet = harness.AddTenant();
        var dave = await harness.ConnectAsync(quiet, "301", _ct);
        var erin = await harness.ConnectAsync(quiet, "302", _ct);

        var flood = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            flood.Add((await alice.InviteAsync("202", _ct)).CallId);
        }

        var refusals = new List<SipResponse>();
        for (var i = 0; i < 290; i++)
        {
            refusals.Add(await alice.NextAsync<SipResponse>(r => r.StatusCode >= 300, _ct));
        }

        Assert.All(refusals, r =>
        {
            Assert.Equal(503, r.StatusCode);
            Assert.Equal("Too Many Pending Calls From This Device", Encoding.ASCII.GetString(r.ReasonPhrase));
        });
        Assert.Equal(10, harness.Calls.ActiveCalls.Count);

        var call = await dave.InviteAsync("302", _ct);
        var (_, _) = await erin.AnswerAsync(_ct);
        await dave.ResponseAsync(call.CallId, "INVITE", 180, _ct);
        await dave.CompleteAsync(call, _ct);
    }

    [Fact]
    public async Task Ports_AfterCancel_AreGivenBackForTheNextCall()
    {
        // Exactly one call's worth of ports (two pairs).
        await using var harness = new CallHarness(mediaPortMin: 31600, mediaPortMax: 31603);
        var tenant = harness.AddTenant();
        var alice = await harness.ConnectAsync(tenant, "201", _ct);
        var bob = await harness.ConnectAsync(tenant, "202", _ct);
        var carol = await harness.ConnectAsync(tenant, "203", _ct);
        var first = await alice.InviteAsync("202", _ct);
        await bob.RequestAsync("INVITE", _ct);
        var active = harness.Calls.ActiveCalls.Single();

        var blocked = await carol.InviteAsync("202", _ct);
        Assert.Equal("No media ports free", Encoding.ASCII.GetString((await carol.ResponseAsync(blocked.CallId, "INVITE", 503, _ct)).ReasonPhrase));
        await alice.SendAsync(alice.Request("CANCEL", first.RemoteTarget, first.CallId, first.Local, first.Remote, 1, branch: first.InviteBranch), _ct);
        await alice.ResponseAsync(first.CallId, "INVITE", 487, _ct);
        await active.Closed;

        var again = await carol.InviteAsync("202", _ct);

        await bob.RequestAsync("INVITE", _ct);
        Assert.False(carol.HasReceived<SipResponse>(r => r.CallId == again.CallId && r.StatusCode >= 300));
    }

    [Fact]
    public async Task Invite_OfferWithHostileBytes_488ReasonIsOurOwnWords()
    {
        await using var harness = new CallHarness(mediaPortMin: 31700, mediaPortMax: 31749);
        var tenant = harness.AddTenant();
        var alice = await harness.ConnectAsync(tenant, "201", _ct);
        await harness.ConnectAsync(tenant, "202", _ct);
        var hostile = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            $"m=audio 4000 RTP/%n%s{new string('A', 5000)} 0\r\na=rtpmap:0 PCMU/8000\r\n";

        var call = await alice.InviteAsync("202", _ct, sdp: hostile);

        var refused = await alice.ResponseAsync(call.CallId, "INVITE", 488, _ct);
        Assert.Equal("Media protocol not supported", Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Empty(harness.Calls.ActiveCalls);
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
}
