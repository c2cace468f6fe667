using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Testing;

namespace HostedPbx.Data.Tests.Pstn;

/// <summary>What the toll-fraud guard's minute limits are measured against: answered outbound minutes in rolling windows.</summary>
public sealed class ExternalMinutesTests(PostgresFixture database) : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = TestClock.Now;
    private TestTenants.Arranged _a = null!;
    private TestTenants.Arranged _b = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _b = await TestTenants.AddAsync(owner, "Bravo", "0015651a0002");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData(-30, -20, 10, 10)] // ended 20 minutes ago after 10 minutes
    [InlineData(-70, -50, 10, 20)] // straddles the hour's start: only its last 10 minutes are in the hour
    [InlineData(-180, -160, 0, 20)] // before the hour, inside the day
    [InlineData(-1450, -1430, 0, 10)] // straddles the day's start
    public void Of_AnsweredAndEnded_CountsOnlyTheMinutesInsideEachWindow(int answeredMinutes, int endedMinutes, double hour, double day)
    {
        var minutes = ExternalMinutes.Of(s_now.AddMinutes(answeredMinutes), s_now.AddMinutes(endedMinutes), s_now);

        Assert.Equal((hour, day), (Math.Round(minutes.LastHour, 6), Math.Round(minutes.LastDay, 6)));
    }

    [Fact]
    public void Of_StillRunning_CountsUpToNow()
    {
        var minutes = ExternalMinutes.Of(s_now.AddMinutes(-7), null, s_now);

        Assert.Equal((7.0, 7.0), (Math.Round(minutes.LastHour, 6), Math.Round(minutes.LastDay, 6)));
    }

    [Fact]
    public async Task OfEndedCallsAsync_CountsEachTenantsAnsweredOutboundCalls_NeverEmergencyInboundUnansweredOrRunningOnes()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            owner.CallRecords.AddRange(
                Call(_a, CallType.OutboundPstn, -30, -20),
                Call(_a, CallType.OutboundPstn, -180, -160),
                Call(_a, CallType.OutboundPstn, -3000, -2990),
                Call(_a, CallType.OutboundPstn, -15, -5, emergency: true),
                Call(_a, CallType.InboundPstn, -15, -5),
                Call(_a, CallType.OutboundPstn, -10, null),
                Call(_a, CallType.OutboundPstn, null, -1),
                Call(_b, CallType.OutboundPstn, -40, -35));
            await owner.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var db = database.CreateOwnerContext();
        var minutes = await ExternalMinutes.OfEndedCallsAsync(db, s_now, TestContext.Current.CancellationToken);

        Assert.Equal(new ExternalMinutes(10, 30), Rounded(minutes[_a.Tenant.Id]));
        Assert.Equal(new ExternalMinutes(5, 5), Rounded(minutes[_b.Tenant.Id]));
    }

    private static ExternalMinutes Rounded(ExternalMinutes m) => new(Math.Round(m.LastHour, 6), Math.Round(m.LastDay, 6));

    private static CallRecord Call(TestTenants.Arranged tenant, CallType type, int? answered, int? ended, bool emergency = false)
    {
        var started = s_now.AddMinutes((answered ?? ended ?? 0) - 1);
        return new CallRecord
        {
            TenantId = tenant.Tenant.Id, SipCallId = Guid.NewGuid().ToString(), FromParty = "201", ToParty = "+4930123456", Type = type,
            StartedAt = started, AnsweredAt = answered is { } a ? s_now.AddMinutes(a) : null, EndedAt = ended is { } e ? s_now.AddMinutes(e) : null,
            Outcome = ended is null ? CallOutcome.InProgress : answered is null ? CallOutcome.NoAnswer : CallOutcome.Answered, Emergency = emergency,
        };
    }
}
