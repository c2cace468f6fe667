using Microsoft.Extensions.Configuration;

namespace HostedPbx.Data.Voicemail;

/// <summary>
/// Where voicemail's sealed files live: the one place that resolves the root (setting <c>Voicemail:Directory</c>,
/// default <c>&lt;HostedPbx:DataDirectory&gt;/voicemail</c>) and names the files under it. Rows store paths relative to
/// the root, so a deployment can move it.
/// </summary>
public sealed class VoicemailFiles
{
    public const string DirectorySetting = "Voicemail:Directory";
    public const string DataDirectorySetting = "HostedPbx:DataDirectory";

    public VoicemailFiles(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    public static VoicemailFiles From(IConfiguration configuration) =>
        new(configuration[DirectorySetting] is { Length: > 0 } directory
            ? directory
            : Path.Combine(configuration[DataDirectorySetting] is { Length: > 0 } data ? data : ".data", "voicemail"));

    /// <summary>A message's file, relative to the root: <c>tenant/extension/message.sealed</c>.</summary>
    public static string MessagePath(Guid tenantId, Guid extensionId, Guid messageId) => $"{tenantId:D}/{extensionId:D}/{messageId:D}.sealed";

    /// <summary>A greeting's file, relative to the root; a new greeting gets a new file (its own key), never an overwrite.</summary>
    public static string GreetingPath(Guid tenantId, Guid extensionId, Guid greetingId) =>
        $"{tenantId:D}/{extensionId:D}/greeting-{greetingId:D}.sealed";

    /// <summary>The absolute path of a stored relative path; a path that would leave the root is a bug or tampering.</summary>
    /// <exception cref="InvalidOperationException">The path leaves the root.</exception>
    public string FullPath(string storagePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, storagePath));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new InvalidOperationException("A voicemail storage path leaves the voicemail folder.");
    }

    /// <summary>Removes a file if it is there (a delete, or a write that must leave nothing behind).</summary>
    public void Delete(string storagePath) => File.Delete(FullPath(storagePath));
}
