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
}
