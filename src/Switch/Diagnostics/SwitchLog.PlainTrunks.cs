using System.Net;

namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(6760, LogLevel.Warning, "Plain trunks: SIP over UDP listens on {Endpoint}, for named plain trunks only (NOT encrypted)")]
    public static partial void PlainTrunkListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(6761, LogLevel.Information, "Plain trunks: flow {ConnectionId} to {Trunk} at {Remote} over UDP")]
    public static partial void PlainFlowOpened(ILogger logger, long connectionId, string trunk, IPEndPoint remote);

    [LoggerMessage(6762, LogLevel.Information, "Plain trunks: flow {ConnectionId} to {Trunk} closed: {Reason}")]
    public static partial void PlainFlowClosed(ILogger logger, long connectionId, string trunk, string reason);

    [LoggerMessage(6763, LogLevel.Debug, "Plain trunks: datagram from {Remote} dropped unanswered: no plain trunk is configured at that address")]
    public static partial void PlainDatagramDropped(ILogger logger, IPEndPoint remote);

    [LoggerMessage(6764, LogLevel.Information, "Plain trunks: datagram on flow {ConnectionId} dropped: {Reason}")]
    public static partial void PlainDatagramMalformed(ILogger logger, long connectionId, string reason);

    [LoggerMessage(6765, LogLevel.Warning, "Plain trunks: trunk {Trunk} not used: {Reason}")]
    public static partial void PlainTrunkNotUsed(ILogger logger, string trunk, string reason);
}
