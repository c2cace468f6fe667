using System.ComponentModel.DataAnnotations;
using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Voicemail;

/// <summary>
/// What an extension's user or admin sets about the mailbox (portal and API alike): whether it takes messages, a new PIN
/// (null keeps the old one), how long the extension rings before a call goes there, and where message e-mails go.
/// </summary>
public sealed record VoicemailSettings(bool Enabled, string? Pin, int NoAnswerSeconds, string? Email)
{
    public const int MinNoAnswerSeconds = 5;
    public const int MaxNoAnswerSeconds = 120;

    /// <summary>Each field that breaks a rule, with the reason (empty when all is well); the names are this record's.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (Pin is not null && VoicemailPin.Problem(Pin) is { } pin)
        {
            problems[nameof(Pin)] = [pin];
        }

        if (NoAnswerSeconds is < MinNoAnswerSeconds or > MaxNoAnswerSeconds)
        {
            problems[nameof(NoAnswerSeconds)] = [$"The no-answer time must be {MinNoAnswerSeconds} to {MaxNoAnswerSeconds} seconds."];
        }

        if (!string.IsNullOrWhiteSpace(Email) && (Email.Trim().Length > 320 || !new EmailAddressAttribute().IsValid(Email.Trim())))
        {
            problems[nameof(Email)] = ["The e-mail address is not valid."];
        }

        return problems;
    }

    /// <summary>Applies valid settings; a new PIN also clears the lock-out of wrong PINs.</summary>
    public void Apply(Extension extension)
    {
        extension.VoicemailEnabled = Enabled;
        extension.ForwardNoAnswerSeconds = NoAnswerSeconds;
        extension.VoicemailEmail = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        if (Pin is not null)
        {
            extension.VoicemailPinHash = VoicemailPin.Hash(Pin);
            extension.VoicemailFailedPins = 0;
            extension.VoicemailLockedUntil = null;
        }
    }
}
