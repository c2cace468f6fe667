using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Tests.Calls.Support;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>A handset dialling numbers of the telephone network through the real call controller: what its INVITE is answered.</summary>
public sealed class PstnCallTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("09001234567", 403, "Destination in a blocked range", "+49900")]
    [InlineData("0033142681234", 403, "Destination country not allowed", "FR")]
    public async Task Invite_NumberTheGuardsRefuse_AnsweredWithTheReasonAndAudited(string dialled, int status, string reason, string audit)
    {
        PstnDirectory? directory = null;
        await using var harness = new CallHarness(mediaPortMin: 31700, mediaPortMax: 31719, pstn: () => directory!);
        var tenant = harness.AddTenant();
        directory = Directory(tenant);
        var alice = await harness.ConnectAsync(tenant, "201", _ct);

        var call = await alice.InviteAsync(dialled, _ct);

        var refused = await alice.ResponseAsync(call.CallId, "INVITE", status, _ct);
        Assert.Equal(reason, Encoding.ASCII.GetString(refused.ReasonPhrase));
        Assert.Empty(harness.Calls.ActiveCalls);
        Assert.Contains(Drain(harness), e => e.Action.StartsWith("pstn.outbound.", StringComparison.Ordinal) && e.Reason!.Contains(audit, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invite_ExtensionWithTheSameDigitsAsAnEmergencyNumber_RingsTheExtension()
    {
        PstnDirectory? directory = null;
        await using var harness = new CallHarness(mediaPortMin: 31720, mediaPortMax: 31739, pstn: () => directory!);
        var tenant = harness.AddTenant();
        directory = Directory(tenant);
        var alice = await harness.ConnectAsync(tenant, "201", _ct);
        var desk = await harness.ConnectAsync(tenant, "110", _ct);

        await alice.InviteAsync("110", _ct);

        await desk.RequestAsync("INVITE", _ct);
        Assert.Single(harness.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Invite_RoutedNumberWhoseRouteHasNoTrunk_AnsweredNoTrunkAvailable()
    {
        PstnDirectory? directory = null;
        await using var harness = new CallHarness(mediaPortMin: 31740, mediaPortMax: 31759, pstn: () => directory!);
        var tenant = harness.AddTenant();
        directory = Directory(tenant);
        var alice = await harness.ConnectAsync(tenant, "201", _ct);

        var call = await alice.InviteAsync("030123456", _ct);

        var refused = await alice.ResponseAsync(call.CallId, "INVITE", 503, _ct);
        Assert.Equal("No trunk available", Encoding.ASCII.GetString(refused.ReasonPhrase));
    }

    private static PstnDirectory Directory(Guid tenant) => new(
        [new PstnSettings { TenantId = tenant, Country = "DE" }],
        [new OutboundRoute { TenantId = tenant, Name = "All", Pattern = "+*", Priority = 1, TrunkIds = [Guid.CreateVersion7()] }]);

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
