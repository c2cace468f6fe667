using System.Buffers.Binary;

namespace HostedPbx.Data.Voicemail;

/// <summary>
/// An uploaded greeting: a WAV file (RIFF, PCM 8/16/24/32-bit or IEEE float, any common rate from 8 to 192 kHz, one to
/// eight channels) turned into the 8 kHz mono 16-bit PCM that mailboxes play. The one rule for portal and API; every
/// refusal is a sentence a user can act on.
/// </summary>
public static class GreetingUpload
{
    /// <summary>The largest upload taken: a minute of 48 kHz stereo 16-bit fits with room for headers.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    private const int TargetRate = 8000;
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Null and the converted PCM, or the reason the upload is refused (and no PCM).</summary>
    public static string? Convert(ReadOnlySpan<byte> file, out byte[] pcm)
    {
        pcm = [];
        if (file.Length > MaxBytes)
        {
            return $"The greeting is too large: at most {MaxBytes / (1024 * 1024)} MB.";
        }

        if (!TryReadWave(file, out var wave))
        {
            return "The greeting is not a WAV audio file (RIFF/WAVE with PCM or float samples).";
        }

        if (wave.Channels is < 1 or > 8 || wave.SampleRate is < 8000 or > 192_000 || !IsSupportedSample(wave.Format, wave.BitsPerSample)
            || wave.BlockAlign != wave.Channels * wave.BitsPerSample / 8)
        {
            return "The greeting's WAV format is not supported: use PCM (8, 16, 24 or 32-bit) or float at 8 to 192 kHz.";
        }

        var frames = wave.Data.Length / wave.BlockAlign;
        if (frames == 0)
        {
            return "The greeting has no audio.";
        }

        if (TimeSpan.FromSeconds((double)frames / wave.SampleRate) > MaxDuration)
        {
            return $"The greeting is too long: at most {MaxDuration.TotalSeconds:0} seconds.";
        }

        pcm = Resample(Downmix(wave, frames), wave.SampleRate);
        return null;
    }

    private static bool IsSupportedSample(ushort format, int bits) => format switch
    {
        FormatPcm => bits is 8 or 16 or 24 or 32,
        FormatFloat => bits is 32 or 64,
        _ => false,
    };

    private readonly ref struct Wave(ushort format, int channels, int sampleRate, int blockAlign, int bitsPerSample, ReadOnlySpan<byte> data)
    {
        public ushort Format { get; } = format;
        public int Channels { get; } = channels;
        public int SampleRate { get; } = sampleRate;
        public int BlockAlign { get; } = blockAlign;
        public int BitsPerSample { get; } = bitsPerSample;
        public ReadOnlySpan<byte> Data { get; } = data;
    }

    // RIFF: "RIFF" size "WAVE", then chunks of id (4), little-endian size (4) and the body padded to an even length.
    private static bool TryReadWave(ReadOnlySpan<byte> file, out Wave wave)
    {
        wave = default;
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            return false;
        }

        var position = 12;
        ReadOnlySpan<byte> fmt = default;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4));
            var body = position + 8;
            // A streaming writer may leave the data size unknown (0 or 0xFFFFFFFF): take what is there.
            var length = (int)Math.Min(size, (uint)(file.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                fmt = file.Slice(body, length);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (fmt.Length < 16)
                {
                    return false;
                }

                var format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                if (format == FormatExtensible)
                {
                    // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID begins with the plain format code.
                    if (fmt.Length < 40)
                    {
                        return false;
                    }

                    format = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                }

                var data = size == 0 ? file[body..] : file.Slice(body, length);
                wave = new Wave(format, BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]), (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]), int.MaxValue),
                    BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]), BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]), data);
                return true;
            }

            position = body + length + (length & 1);
        }

        return false;
    }

    private static double[] Downmix(Wave wave, int frames)
    {
        var mono = new double[frames];
        var bytes = wave.BitsPerSample / 8;
        for (var f = 0; f < frames; f++)
        {
            var sum = 0.0;
            for (var c = 0; c < wave.Channels; c++)
            {
                sum += Sample(wave.Data.Slice(f * wave.BlockAlign + c * bytes, bytes), wave.Format);
            }

            mono[f] = sum / wave.Channels;
        }

        return mono;
    }

    /// <summary>One sample scaled to [-1, 1).</summary>
    private static double Sample(ReadOnlySpan<byte> s, ushort format) => (format, s.Length) switch
    {
        (FormatFloat, 4) => BinaryPrimitives.ReadSingleLittleEndian(s),
        (FormatFloat, _) => BinaryPrimitives.ReadDoubleLittleEndian(s),
        (_, 1) => (s[0] - 128) / 128.0,
        (_, 2) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768.0,
        (_, 3) => ((s[2] << 24) | (s[1] << 16) | (s[0] << 8)) / 2147483648.0,
        _ => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0,
    };

    /// <summary>
    /// Band-limited resampling to 8 kHz: each output sample is the input convolved with a Blackman-windowed sinc whose
    /// cut-off sits just below the new Nyquist frequency, so nothing above 4 kHz folds back as aliasing.
    /// </summary>
    private static byte[] Resample(double[] input, int sourceRate)
    {
        const int ZeroCrossings = 16;
        var step = (double)sourceRate / TargetRate;
        var outputs = (int)(input.LongLength * TargetRate / sourceRate);
        var pcm = new byte[outputs * 2];
        var scale = sourceRate == TargetRate ? 1.0 : 0.95 / step;
        var halfWidth = ZeroCrossings / scale;
        for (var n = 0; n < outputs; n++)
        {
            var centre = n * step;
            double value;
            if (sourceRate == TargetRate)
            {
                value = input[n];
            }
            else
            {
                value = 0;
                var first = Math.Max(0, (int)Math.Ceiling(centre - halfWidth));
                var last = Math.Min(input.Length - 1, (int)Math.Floor(centre + halfWidth));
                for (var k = first; k <= last; k++)
                {
                    var x = k - centre;
                    value += input[k] * scale * Sinc(scale * x) * Blackman(x / halfWidth);
                }
            }

            var sample = (short)Math.Clamp(Math.Round(value * 32768.0), short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(n * 2), sample);
        }

        return pcm;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // The window over [-1, 1], zero at both ends.
    private static double Blackman(double t) => 0.42 + 0.5 * Math.Cos(Math.PI * t) + 0.08 * Math.Cos(2 * Math.PI * t);
}
