namespace HostedPbx.Switch.Calls.Recording;

/// <summary>What a feature code keyed in a call asks of its recording (shared/DESIGN.md, "Feature codes and numbers").</summary>
internal enum RecordingFeature
{
    None,

    /// <summary><c>*1</c> unless the tenant chose another: start or stop an on-demand recording.</summary>
    StartStop,

    /// <summary><c>*2</c> unless the tenant chose another: pause or resume the recording while a card number is spoken (PCI).</summary>
    PauseResume,
}
