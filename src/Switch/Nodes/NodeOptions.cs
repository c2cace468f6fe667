using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Switch.Nodes;

/// <summary>How switch nodes keep track of each other and how one stops (read from section "Switch", beside NodeName).</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Switch";

    /// <summary>How often this node tells the others it is alive, and looks for nodes that stopped doing so.</summary>
    [Range(1, 60, ErrorMessage = "Switch:NodeHeartbeatSeconds must be between 1 and 60.")]
    public int NodeHeartbeatSeconds { get; set; } = 5;

    /// <summary>A node silent this long is taken for dead: the others expire its registrations (audited).</summary>
    [Range(3, 3600, ErrorMessage = "Switch:NodeDeadAfterSeconds must be between 3 and 3600.")]
    public int NodeDeadAfterSeconds { get; set; } = 30;

    /// <summary>On SIGTERM: how long calls in progress may go on before the handsets' connections are closed.</summary>
    [Range(0, 3600, ErrorMessage = "Switch:DrainGraceSeconds must be between 0 and 3600.")]
    public int DrainGraceSeconds { get; set; } = 30;
}
