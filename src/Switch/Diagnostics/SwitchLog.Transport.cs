using System.Net;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>TLS transport and device directory log messages; EventIds 2000-2999. A peer's bytes never appear unbounded here.</summary>
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

    [LoggerMessage(2004, LogLevel.Warning, "Connection {ConnectionId}: framing lost ({Reason}), closed without an answer")]
    public static partial void FramingLost(ILogger logger, long connectionId, string reason);

    [LoggerMessage(2005, LogLevel.Information, "Connection {ConnectionId}: malformed request answered {StatusCode} ({Reason})")]
    public static partial void MalformedMessage(ILogger logger, long connectionId, int statusCode, string reason);

    [LoggerMessage(2006, LogLevel.Warning, "Connection {ConnectionId}: write queue full, closing")]
    public static partial void WriteQueueFull(ILogger logger, long connectionId);

    [LoggerMessage(2007, LogLevel.Information, "Device directory loaded: {AnchorCount} trust anchors")]
    public static partial void DirectoryLoaded(ILogger logger, int anchorCount);

    [LoggerMessage(2008, LogLevel.Error, "Device directory reload failed; keeping the previous one")]
    public static partial void DirectoryLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(2009, LogLevel.Warning, "Listening for configuration changes failed; reconnecting (the interval reload still runs)")]
    public static partial void DirectoryListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(2010, LogLevel.Error, "Writing {Count} audit events failed")]
    public static partial void AuditWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(2011, LogLevel.Information, "SIP over TLS listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, EndPoint endpoint);

    [LoggerMessage(2012, LogLevel.Warning, "Connection {ConnectionId} of device {Mac} closed: {Reason}")]
    public static partial void IdentityRefused(ILogger logger, long connectionId, string mac, string reason);

    [LoggerMessage(2013, LogLevel.Warning, "TLS connection from {Remote} refused: device {Mac} already holds {Limit} connections")]
    public static partial void DeviceConnectionLimit(ILogger logger, IPEndPoint remote, string mac, int limit);

    [LoggerMessage(2014, LogLevel.Warning, "TLS connection from {Remote} refused: {Limit} handshakes already in progress from its address")]
    public static partial void HandshakeLimit(ILogger logger, IPEndPoint remote, int limit);

    [LoggerMessage(2015, LogLevel.Warning, "Connection {ConnectionId}: a message still incomplete after {Seconds} s, closing")]
    public static partial void PartialMessageTimeout(ILogger logger, long connectionId, int seconds);

    [LoggerMessage(2016, LogLevel.Information, "Connection {ConnectionId}: malformed message dropped without an answer ({Reason})")]
    public static partial void MalformedMessageDropped(ILogger logger, long connectionId, string reason);

    [LoggerMessage(2017, LogLevel.Warning, "Connection {ConnectionId}: framing lost ({Reason}), answered {StatusCode} and closing")]
    public static partial void FramingLostAnswered(ILogger logger, long connectionId, string reason, int statusCode);

    [LoggerMessage(2018, LogLevel.Error, "Re-checking open connections against the new device directory failed")]
    public static partial void DirectorySweepFailed(ILogger logger, Exception exception);
}
