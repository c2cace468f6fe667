namespace HostedPbx.Data.Media;

/// <summary>
/// The shape of stored audio: 16-bit little-endian PCM at <paramref name="SampleRate"/> with <paramref name="Channels"/>
/// interleaved channels (DESIGN "Recordings and voicemail": calls are stereo, caller left and callee right).
/// </summary>
public readonly record struct AudioFormat(int SampleRate, int Channels)
{
    public const int BytesPerSample = 2;

    /// <summary>A mailbox message or a prompt: one channel of narrowband audio.</summary>
    public static AudioFormat Mono8k { get; } = new(8000, 1);

    /// <summary>A recorded call: the caller left, the callee right.</summary>
    public static AudioFormat Stereo8k { get; } = new(8000, 2);

    public int BytesPerFrame => BytesPerSample * Channels;

    public int BytesPerSecond => SampleRate * BytesPerFrame;

    /// <summary>How long <paramref name="bytes"/> of this format play.</summary>
    public TimeSpan DurationOf(long bytes) => TimeSpan.FromTicks(bytes * TimeSpan.TicksPerSecond / BytesPerSecond);

    /// <summary>Whole frames that play for <paramref name="length"/>, in bytes.</summary>
    public long BytesFor(TimeSpan length) => length.Ticks * SampleRate / TimeSpan.TicksPerSecond * BytesPerFrame;

    /// <summary>True for a shape the sealed files store (8 to 48 kHz, one or two channels).</summary>
    public bool IsSupported => SampleRate is >= 8000 and <= 48000 && Channels is 1 or 2;
}
