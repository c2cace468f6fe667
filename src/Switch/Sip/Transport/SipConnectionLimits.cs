namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// Limits of the TLS transport. The idle timeout also closes half-open connections (no bytes, no FIN); the partial
/// message timeout closes a connection that began a message and never finished it (a slow header).
/// </summary>
internal sealed record SipConnectionLimits(
    TimeSpan IdleTimeout,
    TimeSpan HandshakeTimeout,
    TimeSpan PartialMessageTimeout,
    int MaxConnectionsPerDevice,
    int MaxHandshakesPerAddress,
    int MaxQueuedWrites = 256);
