using System.Buffers.Binary;

namespace HostedPbx.Switch.EndToEndTests.Recordings;

/// <summary>A recording's stereo WAV split into its channels (caller left, callee right), and the checks on them.</summary>
internal sealed record RecordedCall(float[] Left, float[] Right)
{
    public static RecordedCall FromWav(byte[] wav)
    {
        // The sealed reader's WAV: a 44-byte RIFF header, then 16-bit little-endian frames.
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));
        var frames = (wav.Length - 44) / 4;
        var left = new float[frames];
        var right = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + (i * 4)));
            right[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(46 + (i * 4)));
        }

        return new RecordedCall(left, right);
    }

    /// <summary>The share of a channel's energy at <paramref name="frequency"/> (Goertzel over 100 ms blocks, summed).</summary>
    public static double ToneShare(float[] samples, double frequency)
    {
        const int Block = 800;
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
        double tone = 0, total = 0;
        for (var start = 0; start + Block <= samples.Length; start += Block)
        {
            double s1 = 0, s2 = 0, energy = 0;
            for (var i = start; i < start + Block; i++)
            {
                var s0 = samples[i] + (coefficient * s1) - s2;
                s2 = s1;
                s1 = s0;
                energy += (double)samples[i] * samples[i];
            }

            // |X(f)|^2 of the block, scaled to its share of the block's energy (Parseval: 2|X|^2/N for a real sine).
            tone += 2 * ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / Block;
            total += energy;
        }

        return total == 0 ? 0 : tone / total;
    }

    public static double Energy(float[] samples) => samples.Sum(s => (double)s * s);
}
