namespace HostedPbx.Switch.Tests;

/// <summary>
/// STYLE §6's measure of "allocates nothing per packet": the fewest bytes allocated in one of five windows of the same
/// work. A cost per packet or per message shows in every window; a one-off of the runtime inside one window (tiered JIT's
/// bookkeeping, a shared pool refilled; a clean run once charged 4,200 bytes to a single window) is no cost of the work
/// and does not fail the test.
/// </summary>
internal static class Allocations
{
    /// <summary>The least this thread allocated in one of five runs of <paramref name="window"/>.</summary>
    public static long LeastOfFiveWindows(Action window) => LeastOfFiveWindows(window, GC.GetAllocatedBytesForCurrentThread);

    /// <summary>The least <paramref name="counter"/> (bytes allocated so far by the threads it counts) grew in one of five runs.</summary>
    public static long LeastOfFiveWindows(Action window, Func<long> counter)
    {
        var least = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var before = counter();
            window();
            least = Math.Min(least, counter() - before);
        }

        return least;
    }
}
