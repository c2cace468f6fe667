using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Applications;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// The mailbox's prompts, spoken by espeak-ng into the prompts folder like every other (a deployment may replace the
/// files with recorded ones), and the default greeting made from them: "The person at extension" and the number
/// digit by digit, then "is not available" or "is busy".
/// </summary>
internal static class MailboxPrompts
{
    public const string Extension = "vm-extension";
    public const string Unavailable = "vm-unavailable";
    public const string Busy = "vm-busy";
    public const string Full = "vm-full";

    public static IReadOnlyDictionary<string, string> Texts { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Extension] = "The person at extension",
        [Unavailable] = "is not available. Please leave a message after the tone. Hang up or press the hash key when you are done.",
        [Busy] = "is on the phone. Please leave a message after the tone. Hang up or press the hash key when you are done.",
        [Full] = "This mailbox is full and cannot take a message now. Goodbye.",
        ["digit-0"] = "zero",
        ["digit-1"] = "one",
        ["digit-2"] = "two",
        ["digit-3"] = "three",
        ["digit-4"] = "four",
        ["digit-5"] = "five",
        ["digit-6"] = "six",
        ["digit-7"] = "seven",
        ["digit-8"] = "eight",
        ["digit-9"] = "nine",
    };

    /// <summary>The tone that says "speak now": 1 kHz for 400 ms, 10 ms ramps so it does not click.</summary>
    public static short[] Tone { get; } = MakeTone(1000, 400);

    /// <summary>The default greeting of <paramref name="number"/>; a prompt missing from the library is left out.</summary>
    public static short[] Greeting(PromptLibrary prompts, string number, GreetingKind kind)
    {
        var parts = new List<string> { Extension };
        parts.AddRange(number.Where(char.IsAsciiDigit).Select(d => $"digit-{d}"));
        parts.Add(kind == GreetingKind.Busy ? Busy : Unavailable);
        return Join(prompts, parts);
    }

    public static short[] Join(PromptLibrary prompts, IEnumerable<string> names)
    {
        var samples = new List<short>();
        foreach (var name in names)
        {
            if (prompts.TryGet(name, out var prompt))
            {
                samples.AddRange(prompt.Samples);
            }
        }

        return [.. samples];
    }

    private static short[] MakeTone(int frequency, int milliseconds)
    {
        var count = Prompt.SampleRate * milliseconds / 1000;
        var ramp = Prompt.SampleRate / 100;
        var tone = new short[count];
        for (var i = 0; i < count; i++)
        {
            var envelope = Math.Min(1.0, Math.Min(i, count - 1 - i) / (double)ramp);
            tone[i] = (short)(Math.Sin(2 * Math.PI * frequency * i / Prompt.SampleRate) * 12000 * envelope);
        }

        return tone;
    }
}
