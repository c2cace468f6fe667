using HostedPbx.Switch.LoadTool.Media;

namespace HostedPbx.Switch.Tests.LoadTool;

public sealed class RealTimeTests
{
    // 1,000 calls, 20 s measured: 2,000 streams × 50 pps × 20 s are due; the pacer's 2 threads tick 4,000 times in 40 s.
    private const double Due = 2_000_000;
    private const long Ticks = 4_000;

    [Fact]
    public void Held_EveryPacketOnTimeAndNoLateTick_IsRealTime() =>
        Assert.True(RealTime.Held(1_998_411, Due, lateTicks: 0, Ticks));

    [Fact]
    public void Held_WindowShortOfTheDuePackets_IsNot() =>
        Assert.False(RealTime.Held(1_799_614, Due, lateTicks: 0, Ticks));

    [Fact]
    public void Held_WindowOverTheDuePacketsWhileThePacerSendsABacklog_IsNot() =>
        // What a 1,000-call run on two shared cores read: 113.6 % of the due packets, the pacer late on 3,670 ticks.
        Assert.False(RealTime.Held(2_273_655, Due, lateTicks: 3_670, Ticks));

    [Fact]
    public void Held_ShareNearOneButThePacerLateOnMoreThanOnePercentOfTicks_IsNot()
    {
        Assert.False(RealTime.Held(1_998_411, Due, lateTicks: 1_573, Ticks));
        Assert.True(RealTime.Held(1_998_411, Due, lateTicks: 40, Ticks));
        Assert.False(RealTime.Held(1_998_411, Due, lateTicks: 41, Ticks));
    }
}
