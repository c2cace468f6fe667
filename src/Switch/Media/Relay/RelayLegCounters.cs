namespace HostedPbx.Switch.Media.Relay;

/// <summary>A snapshot of a leg's packet counts, for metrics (SRTP auth failures, relay packets) and the call record.</summary>
public readonly record struct RelayLegCounters(long Received, long Relayed, long AuthFailures, long Replays, long Malformed, long WrongSource);
