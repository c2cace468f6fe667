using System.Net;

namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(2000, LogLevel.Information, "TLS connection {ConnectionId} from {Remote}: device {Mac}, {TlsVersion} {Cipher}")]
    public static partial void ConnectionAccepted(ILogger logger, long connectionId, IPEndPoint remote, string mac, string tlsVersion, string cipher);

    [LoggerMessage(2001, LogLevel.Warning, "TLS handshake from {Remote} refused: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(2002, LogLevel.Debug, "Connection {ConnectionId} ended: {Cause}")]
    public static partial void ConnectionEnded(ILogger logger, long connectionId, string cause);

    [LoggerMessage(2003, LogLevel.Information, "Connection {ConnectionId} closed after being idle")]
    public static partial void ConnectionIdle(ILogger logger, long connectionId);

    [LoggerMessage(2004, LogLevel.Warning, "Connection {ConnectionId}: framing lost ({Reason}), closing")]
    public static partial void FramingLost(ILogger logger, long connectionId, string reason);

    [LoggerMessage(2005, LogLevel.Information, "Connection {ConnectionId}: malformed message answered 400 ({Reason})")]
    public static partial void MalformedMessage(ILogger logger, long connectionId, string reason);

    [LoggerMessage(2006, LogLevel.Warning, "Connection {ConnectionId}: write queue full, closing")]
    public static partial void WriteQueueFull(ILogger logger, long connectionId);

    [LoggerMessage(2007, LogLevel.Information, "Device directory loaded: {AnchorCount} trust anchors")]
    public static partial void DirectoryLoaded(ILogger logger, int anchorCount);

    [LoggerMessage(2008, LogLevel.Error, "Device directory reload failed; keeping the previous one")]
    public static partial void DirectoryLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(2009, LogLevel.Warning, "Listening for configuration changes failed; reconnecting (the interval reload still runs)")]
    public static partial void DirectoryListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(2009, LogLevel.Information, "SIP over TLS listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, EndPoint endpoint);

    [LoggerMessage(2010, LogLevel.Error, "Writing {Count} audit events failed")]
    public static partial void AuditWriteFailed(ILogger logger, int count, Exception exception);
}
