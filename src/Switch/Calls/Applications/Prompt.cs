using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace HostedPbx.Switch.Calls.Applications;

/// <summary>A prompt's audio: 8 kHz, 16-bit, mono linear PCM samples, read from a RIFF/WAVE file.</summary>
internal sealed class Prompt(string name, short[] samples)
{
    public const int SampleRate = 8000;

    public string Name { get; } = name;

    public short[] Samples { get; } = samples;

    /// <summary>Reads a canonical PCM WAV file; anything but 8 kHz 16-bit mono PCM is refused with the reason.</summary>
    public static bool TryRead(string name, ReadOnlySpan<byte> file, [NotNullWhen(true)] out Prompt? prompt, [NotNullWhen(false)] out string? problem)
    {
        prompt = null;
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            problem = "not a RIFF/WAVE file";
            return false;
        }

        var format = false;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 4)..]), (uint)(file.Length - position - 8));
            var body = file.Slice(position + 8, size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (body.Length < 16 || BinaryPrimitives.ReadUInt16LittleEndian(body) != 1 || BinaryPrimitives.ReadUInt16LittleEndian(body[2..]) != 1
                    || BinaryPrimitives.ReadUInt32LittleEndian(body[4..]) != SampleRate || BinaryPrimitives.ReadUInt16LittleEndian(body[14..]) != 16)
                {
                    problem = "not 8 kHz 16-bit mono PCM";
                    return false;
                }

                format = true;
            }
            else if (id.SequenceEqual("data"u8) && format)
            {
                var samples = new short[size / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(i * 2)..]);
                }

                prompt = new Prompt(name, samples);
                problem = null;
                return true;
            }

            // RIFF chunks are padded to an even size.
            position += 8 + size + (size & 1);
        }

        problem = format ? "no data chunk" : "no fmt chunk before the data";
        return false;
    }
}
