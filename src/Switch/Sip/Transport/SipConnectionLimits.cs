namespace HostedPbx.Switch.Sip.Transport;

/// <summary>Per-connection limits; the idle timeout also closes half-open connections (no bytes, no FIN).</summary>
internal sealed record SipConnectionLimits(TimeSpan IdleTimeout, TimeSpan HandshakeTimeout, int MaxQueuedWrites = 256);
