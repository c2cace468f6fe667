namespace HostedPbx.Data.Entities;

/// <summary>When calls are recorded.</summary>
public enum RecordingMode
{
    Never,
    Always,
    ExternalOnly,
    OnDemand,
}
