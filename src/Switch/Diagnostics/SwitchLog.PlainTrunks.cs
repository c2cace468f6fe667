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

    [LoggerMessage(6766, LogLevel.Warning, "Plain trunks: SIP over TCP listens on {Endpoint}, for named plain trunks only (NOT encrypted)")]
    public static partial void PlainTcpListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(6767, LogLevel.Information, "Plain trunks: connection {ConnectionId} with {Trunk} at {Remote} over TCP ({Direction})")]
    public static partial void PlainConnectionOpened(ILogger logger, long connectionId, string trunk, IPEndPoint remote, string direction);

    [LoggerMessage(6768, LogLevel.Information, "Plain trunks: TCP connection from {Remote} closed unanswered: no plain TCP trunk is configured at that address")]
    public static partial void PlainConnectionRefused(ILogger logger, IPEndPoint remote);

    [LoggerMessage(6769, LogLevel.Warning, "Plain trunks: TCP connection to {Trunk} at {Remote} failed: {Reason}")]
    public static partial void PlainConnectFailed(ILogger logger, string trunk, IPEndPoint remote, string reason);

    [LoggerMessage(6770, LogLevel.Information, "Plain trunks: {Trunk} allowed over TCP at {Remote}")]
    public static partial void PlainTcpTrunkAllowed(ILogger logger, string trunk, IPEndPoint remote);
}
