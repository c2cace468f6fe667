using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Voicemail;

/// <summary>An extension's mailbox settings; the PIN itself is never shown, only whether one is set.</summary>
public sealed record VoicemailSettingsResponse(bool Enabled, bool PinSet, int NoAnswerSeconds, string? Email, bool Locked,
    IReadOnlyList<VoicemailSettingsResponse.Greeting> Greetings)
{
    public sealed record Greeting(GreetingKind Kind, double DurationSeconds, DateTimeOffset UpdatedAt);

    public static VoicemailSettingsResponse From(Extension extension, IEnumerable<VoicemailGreeting> greetings, DateTimeOffset now) => new(
        extension.VoicemailEnabled, extension.VoicemailPinHash is not null, extension.ForwardNoAnswerSeconds, extension.VoicemailEmail,
        extension.VoicemailLockedUntil > now,
        [.. greetings.OrderBy(g => g.Kind).Select(g => new Greeting(g.Kind, g.DurationMs / 1000.0, g.UpdatedAt))]);
}
