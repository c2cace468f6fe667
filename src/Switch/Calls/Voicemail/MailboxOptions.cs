namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>Where the switch writes voicemail (section "Voicemail"): sealed files under one root, by tenant and extension.</summary>
public sealed class MailboxOptions
{
    public const string SectionName = "Voicemail";

    /// <summary>The voicemail root; empty means <c>HostedPbx:DataDirectory</c>/voicemail (as the portal and API read it).</summary>
    public string Directory { get; set; } = "";

    /// <summary>The root this switch uses, once resolved at start.</summary>
    public string ResolvedDirectory { get; set; } = "";

    /// <summary>The one place the default is made: <c>HostedPbx:DataDirectory</c> (or .data) plus "voicemail".</summary>
    public static string Resolve(string? directory, string? dataDirectory) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(directory) ? Path.Combine(string.IsNullOrWhiteSpace(dataDirectory) ? ".data" : dataDirectory, "voicemail") : directory);
}
