using System.Threading.Channels;
using HostedPbx.Switch.Devices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Devices;

/// <summary>The directory reloads at once (after a short coalescing pause) when told of a change, and otherwise only on its interval.</summary>
public sealed class DeviceDirectoryCacheTests : IAsyncDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<int> _loads = Channel.CreateUnbounded<int>();
    private readonly CancellationTokenSource _stop = new();
    private readonly DeviceDirectoryCache _cache;
    private readonly Task _run;

    public DeviceDirectoryCacheTests()
    {
        _cache = new DeviceDirectoryCache(_ =>
        {
            _loads.Writer.TryWrite(1);
            return Task.FromResult(DeviceDirectory.Empty);
        }, _time, s_interval, NullLogger.Instance);
        _run = _cache.RunAsync(_stop.Token);
    }

    [Fact]
    public async Task RunAsync_NoChange_ReloadsOnlyWhenTheIntervalEnds()
    {
        _time.Advance(s_interval - TimeSpan.FromSeconds(1));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(_loads.Reader.TryRead(out _), "reloaded before the interval ended");

        await AdvanceUntilLoadAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Invalidate_Burst_OneReloadWithinTheCoalescingPause()
    {
        _cache.Invalidate();
        _cache.Invalidate();
        _cache.Invalidate();

        var advanced = await AdvanceUntilLoadAsync(DeviceDirectoryCache.Coalesce);

        Assert.True(advanced < s_interval, $"the reload waited {advanced} of fake time");
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(_loads.Reader.TryRead(out _), "a burst of notices made more than one reload");
    }

    [Fact]
    public async Task RefreshAsync_NewSnapshot_ListenerHearsItRightAfterTheSwap()
    {
        var cache = new DeviceDirectoryCache(_ => Task.FromResult(new DeviceDirectory([], Data.Certificates.RevokedSerials.None, [])), _time, s_interval, NullLogger.Instance);
        var heard = new List<(DeviceDirectory Heard, DeviceDirectory Current)>();
        cache.OnSwapped(d => heard.Add((d, cache.Current)));

        await cache.RefreshAsync(TestContext.Current.CancellationToken);
        await cache.RefreshAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, heard.Count);
        Assert.All(heard, h => Assert.Same(h.Current, h.Heard));
        Assert.NotSame(heard[0].Heard, heard[1].Heard);
    }

    [Fact]
    public async Task RefreshAsync_ListenerFails_SnapshotStillSwapped()
    {
        var next = new DeviceDirectory([], Data.Certificates.RevokedSerials.None, []);
        var cache = new DeviceDirectoryCache(_ => Task.FromResult(next), _time, s_interval, NullLogger.Instance);
        cache.OnSwapped(_ => throw new InvalidOperationException("listener bug"));

        await cache.RefreshAsync(TestContext.Current.CancellationToken);

        Assert.Same(next, cache.Current);
    }

    /// <summary>
    /// Moves the fake clock in steps until a reload happens; returns how much fake time that took. The reload runs on the
    /// thread pool after the timer fires, which on a busy machine can take seconds of real time: the loop is bounded by
    /// a generous real time (it once gave up after 200 steps of 10 ms in a full run), while what the tests assert is
    /// the fake time that passed.
    /// </summary>
    private async Task<TimeSpan> AdvanceUntilLoadAsync(TimeSpan step)
    {
        var advanced = TimeSpan.Zero;
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            if (_loads.Reader.TryRead(out _))
            {
                return advanced;
            }

            _time.Advance(step);
            advanced += step;
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the directory never reloaded");
        return advanced;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run);
        _stop.Dispose();
    }
}
