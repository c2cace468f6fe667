namespace HostedPbx.Switch.Media.Srtp;

/// <summary>The outcome of protecting or unprotecting one packet. Anything but <see cref="Ok"/> means: drop it.</summary>
public enum SrtpStatus
{
    Ok,
    AuthFailed,
    Replayed,
    Truncated,
    Malformed,
    BufferTooSmall,
}
