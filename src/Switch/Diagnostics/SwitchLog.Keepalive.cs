using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>Trunk keep-alive log messages (issue 11); EventIds 6400-6449. A trunk is named by its id, never by a tenant's words.</summary>
internal static partial class SwitchLog
{
    [LoggerMessage(6400, LogLevel.Warning, "Trunk {TrunkId} is now {State}: {Reason}")]
    public static partial void TrunkStateChanged(ILogger logger, Guid trunkId, TrunkReachability state, string reason);

    [LoggerMessage(6401, LogLevel.Error, "Trunk {TrunkId}: its new state could not be stored; the switch routes by it all the same")]
    public static partial void TrunkStateNotStored(ILogger logger, Guid trunkId, Exception exception);
}
