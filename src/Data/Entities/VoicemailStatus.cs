namespace HostedPbx.Data.Entities;

/// <summary>Life of a voicemail message.</summary>
public enum VoicemailStatus
{
    New,
    Saved,
    Deleted,
}
