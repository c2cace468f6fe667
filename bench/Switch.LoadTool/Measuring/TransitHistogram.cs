using System.Diagnostics;

namespace HostedPbx.Switch.LoadTool.Measuring;

/// <summary>
/// One-way transit times of media packets, from the sender's stamp to the receiving round that read them, counted in
/// 10 µs buckets up to 100 ms while recording; allocation-free and safe to add to from several receive threads.
/// </summary>
internal sealed class TransitHistogram
{
    private const long BucketMicroseconds = 10;
    private const int Buckets = 10_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private volatile bool _recording;

    /// <summary>Times added from now on are counted.</summary>
    public void Start() => _recording = true;

    /// <summary>Times added from now on are ignored.</summary>
    public void Stop() => _recording = false;

    /// <summary>Counts one transit of <paramref name="elapsedTicks"/> (<see cref="Stopwatch"/> ticks; below zero counts as zero).</summary>
    public void Add(long elapsedTicks)
    {
        if (!_recording)
        {
            return;
        }

        var microseconds = Math.Max(0, elapsedTicks) * 1_000_000 / Stopwatch.Frequency;
        Interlocked.Increment(ref _counts[(int)Math.Min(microseconds / BucketMicroseconds, Buckets)]);
    }

    public long Count => _counts.Sum();

    /// <summary>
    /// The upper edge, in milliseconds, of the bucket that holds the nearest-rank <paramref name="percent"/> (0-100):
    /// the true value is at most that. Infinity when it lies beyond 100 ms, NaN when nothing was counted.
    /// </summary>
    public double PercentileMs(double percent)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100.0 * total));
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return (i + 1) * BucketMicroseconds / 1000.0;
            }
        }

        return double.PositiveInfinity;
    }
}
