using HostedPbx.Switch.Media.Relay.Linux;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// The media relay's threads (issue 13 item 1): a few <see cref="RelayThread"/>s, about one per core, among which calls
/// are spread (packed onto the first threads at low load); each call lives on one thread for its whole life.
/// </summary>
internal sealed class RelayEngine : IDisposable
{
    private static readonly Lazy<RelayEngine> s_default = new(() => new RelayEngine(0, TimeSpan.FromMilliseconds(1)));
    /// <summary>
    /// Calls one thread takes before the next is used: 200 calls are 20,000 packets a second, a fifth of what one core
    /// relays at the measured per-packet cost.
    /// </summary>
    public const int CallsBeforeSpreading = 200;

    private readonly RelayThread[] _threads;

    /// <param name="threads">Relay threads; 0 for one per core.</param>
    /// <param name="gather">How long a quiet thread lets packets gather before it drains them (0: never waits).</param>
    public RelayEngine(int threads, TimeSpan gather)
    {
        if (!LinuxSockets.IsSupported)
        {
            throw new PlatformNotSupportedException("The media relay engine needs 64-bit Linux (epoll, recvmmsg, sendmmsg).");
        }

        var count = threads > 0 ? threads : Environment.ProcessorCount;
        _threads = new RelayThread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new RelayThread(i, gather);
        }
    }

    /// <summary>An engine for a relay built without one (one thread per core, 1 ms gather), alive for the process.</summary>
    public static RelayEngine Default => s_default.Value;

    public int ThreadCount => _threads.Length;

    internal IReadOnlyList<RelayThread> Threads => _threads;

    public long SendErrors => _threads.Sum(t => t.SendErrors);

    public long Faults => _threads.Sum(t => t.Faults);

    /// <summary>
    /// The thread a new call goes to: the first that has fewer than <see cref="CallsBeforeSpreading"/> calls, so that at
    /// low load the calls share one thread's wake-ups (each round of a thread costs a wake-up, whatever it carries);
    /// when every thread has that many, the one with the fewest.
    /// </summary>
    public RelayThread Assign()
    {
        var best = _threads[0];
        foreach (var thread in _threads)
        {
            if (thread.Sessions < CallsBeforeSpreading)
            {
                return thread;
            }

            if (thread.Sessions < best.Sessions)
            {
                best = thread;
            }
        }

        return best;
    }

    public void Dispose()
    {
        foreach (var thread in _threads)
        {
            thread.Dispose();
        }
    }
}
