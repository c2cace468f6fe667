using HostedPbx.Switch.Nodes;
using HostedPbx.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Nodes;

/// <summary>A graceful stop: calls in progress go on for the grace period, then the handsets' connections close.</summary>
public sealed class NodeDrainTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(TestClock.Now);

    [Fact]
    public async Task DrainAsync_NoCalls_ClosesConnectionsAtOnce()
    {
        var drain = new NodeDrain(Grace, _time);
        var closed = 0;

        var left = await drain.DrainAsync(() => 0, () => closed++, TestContext.Current.CancellationToken);

        Assert.Equal((0, 1, true), (left, closed, drain.IsDraining));
    }

    [Fact]
    public async Task DrainAsync_LastCallEndsWithinGrace_ClosesWhenItEnds()
    {
        var drain = new NodeDrain(Grace, _time);
        var calls = 2;
        var closed = 0;

        var draining = drain.DrainAsync(() => calls, () => closed++, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(10));
        drain.OnCallEnded(--calls);
        var closedAfterFirst = closed;
        _time.Advance(TimeSpan.FromSeconds(5));
        drain.OnCallEnded(--calls);
        var left = await draining;

        Assert.Equal((0, 0, 1), (closedAfterFirst, left, closed));
        Assert.True(drain.IsDraining);
    }

    [Fact]
    public async Task DrainAsync_CallOutlivesGrace_ClosedWhenGraceEnds()
    {
        var drain = new NodeDrain(Grace, _time);
        var closed = 0;

        var draining = drain.DrainAsync(() => 1, () => closed++, TestContext.Current.CancellationToken);
        _time.Advance(Grace - TimeSpan.FromSeconds(1));
        var closedBeforeGrace = closed;
        _time.Advance(TimeSpan.FromSeconds(1));
        var left = await draining;

        Assert.Equal((0, 1, 1), (closedBeforeGrace, left, closed));
    }

    [Fact]
    public async Task Begin_RefusesBeforeTheRowIsMarked_GraceCountsFromThere()
    {
        var drain = new NodeDrain(Grace, _time);
        var closed = 0;

        drain.Begin();
        var refusing = drain.IsDraining;
        // Marking the node's row took 10 s (a slow database): the call still gets the grace from SIGTERM, not more.
        _time.Advance(TimeSpan.FromSeconds(10));
        var draining = drain.DrainAsync(() => 1, () => closed++, TestContext.Current.CancellationToken);
        _time.Advance(Grace - TimeSpan.FromSeconds(11));
        var closedBeforeGrace = closed;
        _time.Advance(TimeSpan.FromSeconds(1));
        var left = await draining;

        Assert.Equal((true, 0, 1, 1), (refusing, closedBeforeGrace, left, closed));
    }

    [Fact]
    public void OnCallEnded_NotDraining_NothingHappens()
    {
        var drain = new NodeDrain(Grace, _time);

        drain.OnCallEnded(0);

        Assert.False(drain.IsDraining);
    }
}
