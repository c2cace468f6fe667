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
    public const string NoMailbox = "vm-no-mailbox";
    public const string Locked = "vm-locked";
    public const string NoPin = "vm-no-pin";
    public const string EnterPin = "vm-enter-pin";
    public const string WrongPin = "vm-wrong-pin";
    public const string YouHave = "vm-you-have";
    public const string NewMessages = "vm-new-messages";
    public const string SavedMessages = "vm-saved-messages";
    // Named anew when option 5 came: a folder made before keeps its old vm-menu.wav, which does not offer it.
    public const string Menu = "vm-main-menu";
    public const string MessageMenu = "vm-message-menu";
    public const string Deleted = "vm-deleted";
    public const string Saved = "vm-saved";
    public const string NoMessages = "vm-no-messages";
    public const string NoMore = "vm-no-more";
    public const string Unplayable = "vm-unplayable";
    public const string NewPin = "vm-new-pin";
    public const string NewPinAgain = "vm-new-pin-again";
    public const string PinChanged = "vm-pin-changed";
    public const string PinRefused = "vm-pin-refused";
    public const string PinMismatch = "vm-pin-mismatch";
    public const string GreetingMenu = "vm-greeting-menu";
    public const string DefaultWhich = "vm-default-which";
    public const string DefaultRestored = "vm-default-restored";
    public const string RecordGreeting = "vm-record-greeting";
    public const string GreetingReview = "vm-greeting-review";
    public const string GreetingKept = "vm-greeting-kept";
    public const string GreetingCancelled = "vm-greeting-cancelled";
    public const string GreetingRefused = "vm-greeting-refused";
    public const string Invalid = "vm-invalid";
    public const string Goodbye = "vm-goodbye";

    public static IReadOnlyDictionary<string, string> Texts { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Extension] = "The person at extension",
        [Unavailable] = "is not available. Please leave a message after the tone. Hang up or press the hash key when you are done.",
        [Busy] = "is on the phone. Please leave a message after the tone. Hang up or press the hash key when you are done.",
        [Full] = "This mailbox is full and cannot take a message now. Goodbye.",
        [NoMailbox] = "There is no mailbox for this extension. Goodbye.",
        [Locked] = "This mailbox is locked after too many wrong PINs. Please try again later. Goodbye.",
        [NoPin] = "This mailbox has no PIN yet. Please set one in the portal. Goodbye.",
        [EnterPin] = "Please enter your PIN, then press the hash key.",
        [WrongPin] = "That PIN is not right.",
        [YouHave] = "You have",
        [NewMessages] = "new messages, and",
        [SavedMessages] = "saved messages.",
        [Menu] = "Press 1 to hear new messages, 2 to hear saved messages, 5 to record your greetings, 8 to change your PIN, or star to hang up.",
        [MessageMenu] = "Press 4 to hear it again, 7 to delete it, 9 to save it, or hash for the next message.",
        [Deleted] = "Message deleted.",
        [Saved] = "Message saved.",
        [NoMessages] = "There are no messages.",
        [NoMore] = "There are no more messages.",
        [Unplayable] = "This message is damaged and cannot be played. Skipping it.",
        [NewPin] = "Enter your new PIN, then press the hash key.",
        [NewPinAgain] = "Enter the new PIN again, then press the hash key.",
        [PinChanged] = "Your PIN is changed.",
        [PinRefused] = "That PIN cannot be used. Use four to twelve digits, not all the same, and not a run such as one two three four.",
        [PinMismatch] = "The two PINs are not the same.",
        [GreetingMenu] = "Press 1 to record your unavailable greeting, 2 to record your busy greeting, 3 to go back to a default greeting, or star for the main menu.",
        [DefaultWhich] = "Press 1 to use the default unavailable greeting, or 2 to use the default busy greeting.",
        [DefaultRestored] = "Callers now hear the default greeting.",
        [RecordGreeting] = "Record your greeting after the tone. Press the hash key when you are done.",
        [GreetingReview] = "Press 1 to keep this greeting, 2 to record it again, or star to cancel.",
        [GreetingKept] = "Your greeting is saved.",
        [GreetingCancelled] = "Your greeting is not changed.",
        [GreetingRefused] = "That greeting was too short or silent, and was not kept.",
        [Invalid] = "That key is not on the menu.",
        [Goodbye] = "Goodbye.",
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

    /// <summary>"You have" <paramref name="newCount"/> "new messages, and" <paramref name="savedCount"/> "saved messages", numbers digit by digit.</summary>
    public static short[] Counts(PromptLibrary prompts, int newCount, int savedCount) => Join(prompts,
    [
        YouHave, .. Digits(newCount), NewMessages, .. Digits(savedCount), SavedMessages,
    ]);

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

    private static IEnumerable<string> Digits(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => $"digit-{d}");

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
