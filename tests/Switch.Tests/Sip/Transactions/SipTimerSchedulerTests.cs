using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip.Transactions;

public sealed class SipTimerSchedulerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Schedule_ManyTimers_FireInDueOrder()
    {
        using var scheduler = new SipTimerScheduler(_time);
        var target = new Target();
        scheduler.Schedule(target, SipTimer.B, TimeSpan.FromSeconds(3));
        scheduler.Schedule(target, SipTimer.A, TimeSpan.FromSeconds(1));
        scheduler.Schedule(target, SipTimer.D, TimeSpan.FromSeconds(2));

        _time.AdvanceInSteps(TimeSpan.FromSeconds(3));

        Assert.Equal([SipTimer.A, SipTimer.D, SipTimer.B], target.Fired);
        Assert.Equal(0, scheduler.Count);
    }

    [Fact]
    public void Cancel_BeforeDue_NeverFires()
    {
        using var scheduler = new SipTimerScheduler(_time);
        var target = new Target();
        var registration = scheduler.Schedule(target, SipTimer.E, TimeSpan.FromSeconds(1));

        registration.Cancel();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Empty(target.Fired);
    }

    [Fact]
    public void Schedule_EarlierAfterLater_RearmsForEarlier()
    {
        using var scheduler = new SipTimerScheduler(_time);
        var target = new Target();
        scheduler.Schedule(target, SipTimer.F, TimeSpan.FromSeconds(32));
        scheduler.Schedule(target, SipTimer.E, TimeSpan.FromMilliseconds(500));

        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal([SipTimer.E], target.Fired);
    }

    [Fact]
    public void OnTick_TargetThrows_OtherTimersStillFire()
    {
        using var scheduler = new SipTimerScheduler(_time);
        var target = new Target();
        scheduler.Schedule(new ThrowingTarget(), SipTimer.H, TimeSpan.FromSeconds(1));
        scheduler.Schedule(target, SipTimer.I, TimeSpan.FromSeconds(1));
        scheduler.Schedule(target, SipTimer.J, TimeSpan.FromSeconds(2));

        _time.AdvanceInSteps(TimeSpan.FromSeconds(2));

        Assert.Equal([SipTimer.I, SipTimer.J], target.Fired);
    }

    [Theory]
    [InlineData(SipTimer.A, false, 500)]
    [InlineData(SipTimer.B, true, 32_000)]
    [InlineData(SipTimer.D, false, 32_000)]
    [InlineData(SipTimer.D, true, 0)]
    [InlineData(SipTimer.E, false, 500)]
    [InlineData(SipTimer.F, false, 32_000)]
    [InlineData(SipTimer.G, false, 500)]
    [InlineData(SipTimer.H, true, 32_000)]
    [InlineData(SipTimer.I, false, 5_000)]
    [InlineData(SipTimer.I, true, 0)]
    [InlineData(SipTimer.J, false, 32_000)]
    [InlineData(SipTimer.J, true, 0)]
    [InlineData(SipTimer.K, false, 5_000)]
    [InlineData(SipTimer.K, true, 0)]
    public void GetInitialDelay_DefaultTimers_FollowRfc3261Table4(SipTimer timer, bool reliable, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), new SipTimers().GetInitialDelay(timer, reliable));
    }

    [Fact]
    public void GetInitialDelay_ConfiguredT1_ScalesTimeouts()
    {
        var timers = new SipTimers { T1 = TimeSpan.FromMilliseconds(100) };

        Assert.Equal(TimeSpan.FromMilliseconds(6_400), timers.GetInitialDelay(SipTimer.B, reliableTransport: true));
    }

    private sealed class ThrowingTarget : ISipTimerTarget
    {
        public void OnTimer(SipTimer timer) => throw new InvalidOperationException("a transaction user bug");
    }

    private sealed class Target : ISipTimerTarget
    {
        public List<SipTimer> Fired { get; } = [];

        public void OnTimer(SipTimer timer) => Fired.Add(timer);
    }
}
