using System.Diagnostics;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>Speech made with espeak-ng and sox (shared/peers/README.md §2), and the check that it arrived.</summary>
internal static class Audio
{
    public static Task<string> MakeSpeechAsync(string directory, CancellationToken cancellationToken) =>
        MakeSpeechAsync(directory, 0.5, 1.5, cancellationToken);

    /// <summary>The speech with the given seconds of silence before and after it.</summary>
    public static async Task<string> MakeSpeechAsync(string directory, double leadingSilence, double trailingSilence, CancellationToken cancellationToken)
    {
        var raw = Path.Combine(directory, "speech_raw.wav");
        var speech = Path.Combine(directory, "speech_8k.wav");
        var padded = Path.Combine(directory, $"speech_pad{leadingSilence.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{trailingSilence.ToString(System.Globalization.CultureInfo.InvariantCulture)}_8k.wav");
        await RunAsync("espeak-ng", ["-w", raw, "Hello, this is a secure call test. One two three four five."], cancellationToken);
        await RunAsync("sox", [raw, "-r", "8000", "-c", "1", "-b", "16", speech], cancellationToken);
        // baresip hangs up when its source file ends, so the padding sets the call's length.
        await RunAsync("sox", [speech, padded, "pad", leadingSilence.ToString(System.Globalization.CultureInfo.InvariantCulture), trailingSilence.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken);
        return padded;
    }

    /// <summary>The 16-bit mono samples of a WAV file (the data chunk of a RIFF file).</summary>
    public static float[] ReadWav(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!IsRiffWave(bytes))
        {
            throw new InvalidDataException($"{path} is not a WAV file: it does not begin with a RIFF/WAVE header ({bytes.Length} bytes).");
        }

        long offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, (int)offset, 4);
            var size = BitConverter.ToUInt32(bytes, (int)offset + 4);
            if (id == "data")
            {
                var length = (int)(Math.Min(size, bytes.Length - offset - 8) / 2);
                var samples = new float[length];
                for (var i = 0; i < length; i++)
                {
                    samples[i] = BitConverter.ToInt16(bytes, (int)offset + 8 + (i * 2));
                }

                return samples;
            }

            offset += 8 + size + (size & 1);
        }

        return [];
    }

    /// <summary>
    /// The samples of a WAV file a peer is still writing, once the peer has finished it. linphone (mediastreamer2) leaves
    /// the header's bytes zero while it records and writes the header when the call's stream stops, so the file is
    /// finished once it begins with RIFF/WAVE. (Its sizes are not a test: linphone counts the header in the data size.)
    /// </summary>
    public static async Task<float[]> ReadFinishedWavAsync(string path, TimeSpan limit, Func<string> what)
    {
        await Eventually.GetAsync(() => Task.FromResult(IsFinished(path) ? (object?)true : null), limit,
            () => $"{path} to be finished (RIFF header written; now {Describe(path)}); {what()}");
        return ReadWav(path);

        static bool IsFinished(string path)
        {
            if (!File.Exists(path))
            {
                return false;
            }

            return IsRiffWave(File.ReadAllBytes(path));
        }
    }

    private static string Describe(string path)
    {
        if (!File.Exists(path))
        {
            return "no file";
        }

        var bytes = File.ReadAllBytes(path);
        return $"{bytes.Length} bytes beginning {Convert.ToHexString(bytes.AsSpan(0, Math.Min(64, bytes.Length)))}";
    }

    private static bool IsRiffWave(byte[] bytes) =>
        bytes.Length >= 12 && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8);

    /// <summary>The highest normalized cross-correlation of <paramref name="received"/> against <paramref name="sent"/> within ±maxLag samples.</summary>
    public static double MaxNormalizedCorrelation(float[] sent, float[] received, int maxLag)
    {
        var best = 0.0;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            var start = Math.Max(0, -lag);
            var end = Math.Min(sent.Length, received.Length - lag);
            if (end - start < 8000)
            {
                continue;
            }

            double dot = 0, energySent = 0, energyReceived = 0;
            for (var i = start; i < end; i++)
            {
                double a = sent[i], b = received[i + lag];
                dot += a * b;
                energySent += a * a;
                energyReceived += b * b;
            }

            if (energySent > 0 && energyReceived > 0)
            {
                best = Math.Max(best, dot / Math.Sqrt(energySent * energyReceived));
            }
        }

        return best;
    }

    /// <summary>
    /// For a receiver that adapts its playout (linphone's jitter buffer drops or repeats a packet now and then, which
    /// shifts all that follows by 20 ms): each half second of received speech is aligned with the sent speech on its
    /// own, within ±maxLag of its place, and the median of those correlations is returned.
    /// </summary>
    public static double MedianWindowCorrelation(float[] sent, float[] received, int maxLag)
    {
        const int Window = 4000;
        var energies = new List<(int Start, double Energy)>();
        for (var start = 0; start + Window <= received.Length; start += Window)
        {
            energies.Add((start, received.AsSpan(start, Window).ToArray().Sum(x => (double)x * x)));
        }

        var loudest = energies.Count == 0 ? 0 : energies.Max(e => e.Energy);
        var scores = new List<double>();
        foreach (var (start, energy) in energies.Where(e => e.Energy > loudest * 0.05))
        {
            var best = 0.0;
            for (var lag = -maxLag; lag <= maxLag; lag++)
            {
                var from = start + lag;
                if (from < 0 || from + Window > sent.Length)
                {
                    continue;
                }

                double dot = 0, energySent = 0;
                for (var i = 0; i < Window; i++)
                {
                    double a = sent[from + i], b = received[start + i];
                    dot += a * b;
                    energySent += a * a;
                }

                if (energySent > 0)
                {
                    best = Math.Max(best, dot / Math.Sqrt(energySent * energy));
                }
            }

            scores.Add(best);
        }

        scores.Sort();
        return scores.Count == 0 ? 0 : scores[scores.Count / 2];
    }

    /// <summary>The speech as plain PCMU payload bytes would carry it (sox's G.711 µ-law encoder).</summary>
    public static async Task<byte[]> EncodeMuLawAsync(string wav, CancellationToken cancellationToken)
    {
        var path = Path.ChangeExtension(wav, ".ul");
        await RunAsync("sox", [wav, "-t", "ul", path], cancellationToken);
        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    /// <summary>Bytes read as G.711 µ-law samples (ITU-T G.711), as a plain PCMU payload would decode.</summary>
    public static float[] DecodeMuLaw(IEnumerable<byte> bytes) => [.. bytes.Select(b =>
    {
        var u = ~b & 0xff;
        var magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84;
        return (float)((u & 0x80) != 0 ? -magnitude : magnitude);
    })];

    private static async Task RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(limit.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }
    }
}
