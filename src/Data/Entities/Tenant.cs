namespace HostedPbx.Data.Entities;

/// <summary>A reseller's customer: one company's phone system.</summary>
public class Tenant
{
    /// <summary>The suites allowed when a tenant does not narrow them (strongest first).</summary>
    public static readonly string[] DefaultSrtpSuites =
    [
        "AEAD_AES_256_GCM", "AEAD_AES_128_GCM", "AES_256_CM_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32",
    ];

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ResellerId { get; set; }
    public Reseller? Reseller { get; set; }
    public required string Name { get; set; }
    public TenantStatus Status { get; set; } = TenantStatus.Active;
    public int MaxExtensions { get; set; } = 50;
    public int MaxConcurrentCalls { get; set; } = 10;

    /// <summary>A call to a number that does not exist hears "the number you dialled is not in service" instead of a bare 404.</summary>
    public bool AnnounceUnknownNumbers { get; set; }

    /// <summary>IANA time zone handsets display, e.g. Europe/Berlin.</summary>
    public string TimeZone { get; set; } = "UTC";
    public string VoicemailAccessNumber { get; set; } = "*97";
    /// <summary>The longest message a caller may leave, in seconds.</summary>
    public int VoicemailMaxMessageSeconds { get; set; } = 180;
    /// <summary>Messages a mailbox keeps (new and saved); a full mailbox takes no more.</summary>
    public int VoicemailMaxMessages { get; set; } = 100;
    /// <summary>When true, a handset dialling the access number opens its own mailbox without a PIN (its certificate binds it).</summary>
    public bool VoicemailPinlessFromOwnDevice { get; set; }
    /// <summary>When true, voicemail e-mails carry the audio; otherwise a notice with a link.</summary>
    public bool VoicemailEmailIncludesAudio { get; set; }
    public string[] AllowedSrtpSuites { get; set; } = [.. DefaultSrtpSuites];
    /// <summary>The in-call code that starts and stops an on-demand recording (<c>*</c> and 1-3 digits; <c>*1</c> unless the tenant chose another).</summary>
    public string RecordingStartStopCode { get; set; } = "*1";
    /// <summary>The in-call code that pauses and resumes a recording for a card payment (<c>*2</c> unless the tenant chose another).</summary>
    public string RecordingPauseCode { get; set; } = "*2";
    public Guid? DefaultRecordingPolicyId { get; set; }
    public RecordingPolicy? DefaultRecordingPolicy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SuspendedAt { get; set; }
    public RetentionSettings? Retention { get; set; }

    public void Suspend(DateTimeOffset now)
    {
        Status = TenantStatus.Suspended;
        SuspendedAt = now;
    }

    public void Activate()
    {
        Status = TenantStatus.Active;
        SuspendedAt = null;
    }
}
