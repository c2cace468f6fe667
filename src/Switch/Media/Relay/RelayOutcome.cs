namespace HostedPbx.Switch.Media.Relay;

/// <summary>What the relay does with one received datagram.</summary>
public enum RelayOutcome
{
    /// <summary>Re-keyed in place: send the buffer's first Length octets to Destination.</summary>
    Forward,
    AuthFailed,
    Replayed,
    Malformed,

    /// <summary>From an address other than the one the leg latched to.</summary>
    WrongSource,

    /// <summary>Authentic, but the other leg has no address to send to yet.</summary>
    NoDestination,
}
