using System.Diagnostics;

namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>
/// Drives every endpoint's sender at 50 packets per second (one G.711 frame per 20 ms) from a few dedicated threads.
/// Each endpoint catches up by itself if a tick comes late, so the rate holds even when the cores are busy; a late tick
/// shows up as jitter at the receiver, which is the point.
/// </summary>
internal sealed class MediaPacer(IReadOnlyList<MediaEndpoint> endpoints, int threads)
{
    private static readonly TimeSpan s_frame = TimeSpan.FromMilliseconds(20);
    private const int MaxCatchUp = 3;

    /// <summary>The ticks that <see cref="Run"/> takes over <paramref name="duration"/>, all threads together.</summary>
    public long Ticks(TimeSpan duration) => threads * (long)(duration / s_frame);

    /// <summary>Sends for <paramref name="duration"/> and returns how many ticks ran late by more than one frame.</summary>
    public long Run(TimeSpan duration)
    {
        long lateTicks = 0;
        var start = Stopwatch.GetTimestamp();
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var shard = t;
            workers[t] = new Thread(() => Interlocked.Add(ref lateTicks, RunShard(shard, start, duration))) { IsBackground = true, Name = $"pacer-{t}" };
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return lateTicks;
    }

    private long RunShard(int shard, long start, TimeSpan duration)
    {
        long late = 0;
        var mine = new List<MediaEndpoint>();
        for (var i = shard; i < endpoints.Count; i += threads)
        {
            mine.Add(endpoints[i]);
        }

        var frames = (long)(duration / s_frame);
        for (long tick = 0; tick < frames; tick++)
        {
            var due = s_frame * tick;
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
            else if (-wait > s_frame)
            {
                late++;
            }

            // Every endpoint should have sent tick + 1 frames by now.
            foreach (var endpoint in mine)
            {
                for (var n = 0; n < MaxCatchUp && endpoint.Sent + endpoint.SendErrors <= tick; n++)
                {
                    endpoint.SendFrame();
                }
            }
        }

        return late;
    }
}
