using System.Runtime.InteropServices;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// Holds a greeting being recorded by phone in memory (at most <paramref name="maxSamples"/>, a minute), so nothing
/// reaches the disk until the user keeps it, and then only sealed. The receive loop appends; it never waits on more
/// than this short lock.
/// </summary>
internal sealed class GreetingRecorder(int maxSamples) : IAudioSink
{
    /// <summary>Below this peak (about -36 dBFS) a recording holds nothing but silence and line noise, as a message's does.</summary>
    private const int SilencePeak = 500;

    private readonly List<short> _samples = [];
    private readonly Lock _gate = new();
    private int _peak;

    /// <summary>True when no sample so far rose above line noise.</summary>
    public bool IsSilent
    {
        get
        {
            lock (_gate)
            {
                return _peak < SilencePeak;
            }
        }
    }

    public void Write(ReadOnlySpan<short> samples)
    {
        lock (_gate)
        {
            var room = Math.Min(samples.Length, maxSamples - _samples.Count);
            foreach (var sample in samples[..room])
            {
                _peak = Math.Max(_peak, Math.Abs((int)sample));
            }

            _samples.AddRange(samples[..room]);
        }
    }

    /// <summary>What was recorded so far, as samples to play back.</summary>
    public short[] Samples()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }

    /// <summary>The same audio as 16-bit little-endian PCM, as greetings are stored.</summary>
    // BitConverter.IsLittleEndian on every platform .NET runs on here, as MessageRecorder assumes too.
    public static byte[] Pcm(short[] samples) => MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();
}
