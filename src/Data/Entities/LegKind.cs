namespace HostedPbx.Data.Entities;

/// <summary>What is at the far end of a call leg.</summary>
public enum LegKind
{
    Handset,
    Trunk,
    Voicemail,
    Recorder,
}
