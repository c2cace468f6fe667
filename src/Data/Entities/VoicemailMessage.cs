namespace HostedPbx.Data.Entities;

/// <summary>A message left in an extension's mailbox; the audio lives encrypted in a file.</summary>
public class VoicemailMessage : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ExtensionId { get; set; }
    public Extension? Extension { get; set; }
    public Guid? CallRecordId { get; set; }
    public required string CallerNumber { get; set; }
    public string? CallerName { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public int DurationMs { get; set; }
    public required string StoragePath { get; set; }
    public required byte[] WrappedDataKey { get; set; }
    public string? AudioSha256 { get; set; }
    public VoicemailStatus Status { get; set; } = VoicemailStatus.New;
    public DateTimeOffset? HeardAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    /// <summary>True when the switch stopped while the message was being left; it keeps every whole second before that.</summary>
    public bool CutShort { get; set; }
    /// <summary>When the e-mail about this message was handed to the mail relay.</summary>
    public DateTimeOffset? EmailedAt { get; set; }
}
