namespace HostedPbx.Data.Entities;

/// <summary>A tenant's internal number, e.g. 201, with its voicemail and recording settings.</summary>
public class Extension : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    /// <summary>2 to 8 digits, unique within the tenant.</summary>
    public required string Number { get; set; }
    public required string DisplayName { get; set; }
    public bool VoicemailEnabled { get; set; } = true;
    /// <summary>PBKDF2 hash of the voicemail PIN; never the PIN.</summary>
    public string? VoicemailPinHash { get; set; }
    public string? VoicemailEmail { get; set; }
    /// <summary>Overrides the tenant's default recording policy when set.</summary>
    public Guid? RecordingPolicyId { get; set; }
    public RecordingPolicy? RecordingPolicy { get; set; }
    /// <summary>RFC 8760 digest as a second factor on top of the device certificate.</summary>
    public bool SipDigestRequired { get; set; }
    /// <summary>HA1 = H(user:realm:password) with SHA-256, hex; the password itself is never kept.</summary>
    public string? SipDigestHa1Sha256 { get; set; }
    /// <summary>HA1 with MD5 for old handsets, hex.</summary>
    public string? SipDigestHa1Md5 { get; set; }
    /// <summary>Every call to this extension goes to this extension of the same tenant instead (its number).</summary>
    public string? ForwardAlways { get; set; }
    /// <summary>Where a call goes when every handset of this extension is busy (486).</summary>
    public string? ForwardBusy { get; set; }
    /// <summary>Where a call goes when this extension has not answered after <see cref="ForwardNoAnswerSeconds"/>.</summary>
    public string? ForwardNoAnswer { get; set; }
    /// <summary>How long this extension rings before a call goes to <see cref="ForwardNoAnswer"/>.</summary>
    public int ForwardNoAnswerSeconds { get; set; } = 20;
    /// <summary>Wrong voicemail PINs in a row; five lock the mailbox (see <see cref="VoicemailLockedUntil"/>).</summary>
    public int VoicemailFailedPins { get; set; }
    /// <summary>Until when the mailbox refuses every PIN after too many wrong ones.</summary>
    public DateTimeOffset? VoicemailLockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
