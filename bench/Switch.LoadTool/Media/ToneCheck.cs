namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>
/// How much of a signal's energy lies at one frequency (a Goertzel filter over the whole signal): close to 1 for a
/// clean sine at that frequency, near 0 for noise, silence or another tone. Used to check audio that went through the switch.
/// </summary>
internal static class ToneCheck
{
    public static double Ratio(ReadOnlySpan<double> samples, double frequency, double sampleRate)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double previous = 0, beforePrevious = 0, energy = 0;
        foreach (var x in samples)
        {
            var current = x + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
            energy += x * x;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        // A sine of amplitude A over N samples gives power (A·N/2)² and energy A²·N/2, so 2·power/(N·energy) = 1.
        return energy == 0 ? 0 : Math.Min(1, 2 * power / (samples.Length * energy));
    }
}
