namespace HostedPbx.Data.Entities;

/// <summary>
/// A greeting the extension's user recorded (by phone or upload); the audio lives encrypted in a sealed file like a
/// message's. Without one, callers hear the default prompt that says the extension's number.
/// </summary>
public class VoicemailGreeting : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ExtensionId { get; set; }
    public Extension? Extension { get; set; }
    public GreetingKind Kind { get; set; }
    /// <summary>Path relative to the voicemail root.</summary>
    public required string StoragePath { get; set; }
    /// <summary>The file's data key, wrapped by the master key (purpose: the greeting's id).</summary>
    public required byte[] WrappedDataKey { get; set; }
    public int DurationMs { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
