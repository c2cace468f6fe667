namespace HostedPbx.Data.Recordings;

/// <summary>What the API asks of a call's recording (issue 10 items 1 and 3), as the switch applies it.</summary>
public enum RecordingControlAction
{
    /// <summary>PCI pause: the gap is kept as silence and marked with who paused.</summary>
    Pause,

    /// <summary>Ends a PCI pause.</summary>
    Resume,

    /// <summary>Starts an on-demand recording, exactly as the start/stop feature code does.</summary>
    Start,

    /// <summary>Stops an on-demand recording, exactly as the start/stop feature code does; its manifest is written.</summary>
    Stop,
}
