namespace HostedPbx.Data.Entities;

/// <summary>How long a tenant's recordings, voicemail and call records are kept, and whether a legal hold stops deletion.</summary>
public class RetentionSettings : ITenantOwned
{
    public Guid TenantId { get; set; }
    public int RecordingDays { get; set; } = 90;
    public int VoicemailDays { get; set; } = 30;
    public int CallRecordDays { get; set; } = 365;
    public bool LegalHold { get; set; }
    public string? LegalHoldReason { get; set; }
    public DateTimeOffset? LegalHoldSince { get; set; }
    /// <summary>The tenant lets its reseller and the operator listen to recordings.</summary>
    public bool ResellerMayListen { get; set; }
}
