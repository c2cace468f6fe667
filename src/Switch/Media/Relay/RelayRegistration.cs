namespace HostedPbx.Switch.Media.Relay;

/// <summary>One media socket a relay thread watches: whose it is, which side, and whether it is a separate RTCP port.</summary>
internal readonly record struct RelayRegistration(RelaySession? Session, bool FromA, bool OnRtcpPort, nint Fd);
