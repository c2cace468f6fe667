using System.Buffers.Binary;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// Places each side's decoded samples on one timeline (caller left, callee right) and hands out whole stereo frames.
/// A side's first packet is placed by its arrival since the recording began; each later packet by its RTP timestamp
/// (RFC 3550 §5.1: the sampling instant), so a lost or dropped packet, or a pause, leaves silence of its own length and
/// the two sides stay aligned. Samples arriving for time already written are late and dropped.
/// </summary>
internal sealed class StereoTimeline
{
    private const int SampleRate = 8000;

    private readonly Side _a;
    private readonly Side _b;
    private long _written;

    /// <param name="capacitySeconds">How far ahead of what is written each side may run.</param>
    public StereoTimeline(int capacitySeconds)
    {
        _a = new Side(SampleRate * capacitySeconds);
        _b = new Side(SampleRate * capacitySeconds);
    }

    /// <summary>Frames handed out so far (the file's length in samples per channel).</summary>
    public long Written => _written;

    /// <summary>Where the last sample placed on either side ends, in samples since the recording began.</summary>
    public long End => Math.Max(_a.End, _b.End);

    /// <summary>Samples that could not be placed (late, or beyond the capacity).</summary>
    public long Discarded { get; private set; }

    /// <summary>
    /// Places one side's samples. <paramref name="sinceStart"/> is the packet's arrival, in samples since the recording
    /// began; the RTP timestamp and SSRC anchor the side's clock. Returns where the samples start on the timeline, or -1
    /// when they were discarded.
    /// </summary>
    public long Place(bool fromA, uint ssrc, uint rtpTimestamp, long sinceStart, ReadOnlySpan<short> samples)
    {
        var side = fromA ? _a : _b;
        if (!side.Anchored || side.Ssrc != ssrc)
        {
            // A new stream (first packet, or a new SSRC after a re-INVITE) starts where it arrived.
            side.Anchor(ssrc, rtpTimestamp, Math.Max(sinceStart, side.End));
        }

        var position = side.AnchorPosition + unchecked((int)(rtpTimestamp - side.AnchorTimestamp));
        var offset = position - _written;
        if (offset < 0 || offset + samples.Length > side.Buffer.Length)
        {
            Discarded += samples.Length;
            return -1;
        }

        side.Write(position, samples);
        side.End = Math.Max(side.End, position + samples.Length);
        return position;
    }

    /// <summary>
    /// Writes interleaved 16-bit little-endian frames into <paramref name="pcm"/> up to where both sides have audio, or up to
    /// <paramref name="atLeast"/> (a side with nothing there is silent then), or everything when <paramref name="all"/>.
    /// Returns the bytes written.
    /// </summary>
    public int Take(Span<byte> pcm, long atLeast, bool all)
    {
        var until = all ? Math.Max(_a.End, _b.End) : Math.Max(Math.Min(_a.End, _b.End), Math.Min(atLeast, Math.Max(_a.End, _b.End)));
        var frames = (int)Math.Min(until - _written, pcm.Length / 4);
        if (frames <= 0)
        {
            return 0;
        }

        for (var i = 0; i < frames; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(pcm[(i * 4)..], _a.Take(_written + i));
            BinaryPrimitives.WriteInt16LittleEndian(pcm[((i * 4) + 2)..], _b.Take(_written + i));
        }

        _written += frames;
        _a.End = Math.Max(_a.End, _written);
        _b.End = Math.Max(_b.End, _written);
        return frames * 4;
    }

    private sealed class Side(int capacity)
    {
        public short[] Buffer { get; } = new short[capacity];

        public bool Anchored { get; private set; }

        public uint Ssrc { get; private set; }

        public uint AnchorTimestamp { get; private set; }

        public long AnchorPosition { get; private set; }

        /// <summary>The end of this side's placed samples on the timeline.</summary>
        public long End { get; set; }

        public void Anchor(uint ssrc, uint timestamp, long position)
        {
            (Anchored, Ssrc, AnchorTimestamp, AnchorPosition) = (true, ssrc, timestamp, position);
        }

        /// <summary>Samples sit at their timeline position modulo the capacity (the caller keeps them within one capacity of what is written).</summary>
        public void Write(long position, ReadOnlySpan<short> samples)
        {
            var start = (int)(position % Buffer.Length);
            var first = Math.Min(samples.Length, Buffer.Length - start);
            samples[..first].CopyTo(Buffer.AsSpan(start));
            samples[first..].CopyTo(Buffer);
        }

        /// <summary>The sample at <paramref name="position"/>, leaving silence in its place for the next lap.</summary>
        public short Take(long position)
        {
            var index = (int)(position % Buffer.Length);
            var sample = Buffer[index];
            Buffer[index] = 0;
            return sample;
        }
    }
}
