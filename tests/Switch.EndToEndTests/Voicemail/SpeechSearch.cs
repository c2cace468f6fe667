namespace HostedPbx.Switch.EndToEndTests.Voicemail;

/// <summary>Finds a stretch of speech inside a longer recording (prompts before and after it, or silence), by loudness first, then sample by sample.</summary>
internal static class SpeechSearch
{
    /// <summary>The speech without the silence before it: from the first sample above line noise.</summary>
    public static float[] Voiced(float[] samples)
    {
        var first = Array.FindIndex(samples, s => Math.Abs(s) > 1000);
        return first < 0 ? [] : samples[first..];
    }

    /// <summary>
    /// The best normalized correlation of <paramref name="speech"/> with <paramref name="recording"/>: the place is found
    /// by the loudness of each 20 ms, then searched sample by sample from 100 ms before it.
    /// </summary>
    public static double Correlation(float[] speech, float[] recording)
    {
        var a = Loudness(speech);
        var b = Loudness(recording);
        var (best, bestFrame) = (double.MinValue, 0);
        for (var frame = 0; frame + a.Length <= b.Length; frame++)
        {
            double dot = 0, energy = 0;
            for (var i = 0; i < a.Length; i++)
            {
                dot += a[i] * b[frame + i];
                energy += b[frame + i] * b[frame + i];
            }

            var score = energy == 0 ? 0 : dot / Math.Sqrt(energy);
            if (score > best)
            {
                (best, bestFrame) = (score, frame);
            }
        }

        var start = Math.Max(0, bestFrame * 160 - 800);
        return Support.Audio.MaxNormalizedCorrelation(speech, recording[start..Math.Min(recording.Length, start + speech.Length + 3200)], 1600);
    }

    private static double[] Loudness(float[] samples) =>
        [.. Enumerable.Range(0, samples.Length / 160).Select(f => Math.Sqrt(samples.AsSpan(f * 160, 160).ToArray().Average(s => (double)s * s)))];
}
