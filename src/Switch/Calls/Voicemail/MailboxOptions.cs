namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>Where the switch writes voicemail (section "Voicemail"): sealed files under one root, by tenant and extension.</summary>
public sealed class MailboxOptions
{
    public const string SectionName = "Voicemail";

    /// <summary>The voicemail root; empty means <c>HostedPbx:DataDirectory</c>/voicemail; resolved by <see cref="Data.Voicemail.VoicemailFiles"/>, as the portal and API resolve it.</summary>
    public string Directory { get; set; } = "";

    /// <summary>The root this switch uses, once resolved at start.</summary>
    public string ResolvedDirectory { get; set; } = "";
}
