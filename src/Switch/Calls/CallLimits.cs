namespace HostedPbx.Switch.Calls;

/// <summary>Timers and addresses of the B2BUA; <see cref="SentBy"/> is the switch's SIP host:port for Via and Contact.</summary>
internal sealed record CallLimits(string SentBy, TimeSpan NoAnswer, TimeSpan MediaTimeout, TimeSpan MediaCheck);
