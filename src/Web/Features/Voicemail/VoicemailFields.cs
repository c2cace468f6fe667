using HostedPbx.Data.Entities;
using HostedPbx.Data.Voicemail;

namespace HostedPbx.Web.Features.Voicemail;

/// <summary>The mailbox settings form; the rules are <see cref="VoicemailSettings"/>'s, the same as the API's.</summary>
public sealed class VoicemailFields
{
    public bool Enabled { get; set; } = true;

    /// <summary>Empty keeps the PIN as it is.</summary>
    public string? Pin { get; set; }

    public int NoAnswerSeconds { get; set; } = 20;

    public string? Email { get; set; }

    public static VoicemailFields From(Extension extension) => new()
    {
        Enabled = extension.VoicemailEnabled, NoAnswerSeconds = extension.ForwardNoAnswerSeconds, Email = extension.VoicemailEmail,
    };

    public VoicemailSettings ToSettings() => new(Enabled, string.IsNullOrEmpty(Pin) ? null : Pin.Trim(), NoAnswerSeconds, Email);
}
