using System.Net;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>The decision for one datagram; on <see cref="RelayOutcome.Forward"/>, what to send and where.</summary>
public readonly record struct RelayResult(RelayOutcome Outcome, int Length = 0, SocketAddress? Destination = null, bool IsRtcp = false);
