namespace HostedPbx.Data.Entities;

/// <summary>Life of a recording file.</summary>
public enum RecordingStatus
{
    Recording,
    Complete,
    Deleted,
    Failed,
}
