namespace HostedPbx.Data.Entities;

/// <summary>What is at the far end of a call leg.</summary>
public enum LegKind
{
    Handset,
    Trunk,
    Voicemail,
    Recorder,

    /// <summary>Another switch node of the platform, over mutual TLS (issue 14): the callee's handset is registered there.</summary>
    Node,
}
