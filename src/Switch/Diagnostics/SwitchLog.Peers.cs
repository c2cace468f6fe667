using System.Net;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(6100, LogLevel.Information, "Peer connection {ConnectionId} from {Remote}: {Kind} {Name} over {TlsVersion} {Cipher}")]
    public static partial void PeerAccepted(ILogger logger, long connectionId, IPEndPoint remote, PeerKind kind, string name, string tlsVersion, string cipher);

    [LoggerMessage(6101, LogLevel.Information, "Peer connection {ConnectionId} to {Remote}: {Kind} {Name} over {TlsVersion} {Cipher}, certificate verified: {Verified}")]
    public static partial void PeerConnected(ILogger logger, long connectionId, IPEndPoint remote, PeerKind kind, string name, string tlsVersion, string cipher, bool verified);

    [LoggerMessage(6102, LogLevel.Warning, "Peer connection to {Kind} {Name} at {Target} failed: {Reason}")]
    public static partial void PeerConnectFailed(ILogger logger, PeerKind kind, string name, string target, string reason);

    [LoggerMessage(6103, LogLevel.Warning, "Peer connection {ConnectionId} ({Kind} {Name}) refused: {Reason}")]
    public static partial void PeerRefused(ILogger logger, long connectionId, PeerKind kind, string name, string reason);

    [LoggerMessage(6110, LogLevel.Information, "Trunk: call {CallId} answered through trunk {Trunk}")]
    public static partial void TrunkAnswered(ILogger logger, string callId, string trunk);

    [LoggerMessage(6111, LogLevel.Information, "Trunk: call {CallId} through trunk {Trunk} ended with {Status}")]
    public static partial void TrunkRefused(ILogger logger, string callId, string trunk, int status);

    [LoggerMessage(6112, LogLevel.Warning, "Trunk: {Trunk} has all its {MaxChannels} channels in use; the next trunk of the route is tried")]
    public static partial void TrunkFull(ILogger logger, string trunk, int maxChannels);
}
