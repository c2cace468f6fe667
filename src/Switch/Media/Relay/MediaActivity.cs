namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// When each side of a call last sent authentic media (RTP or RTCP). A handset that vanishes without closing its
/// connection (power or network lost) falls silent while the other side goes on talking, so a call is judged by its
/// quieter side: one timestamp for both would keep a call with a dead leg alive as long as the live one speaks.
/// RTCP counts, so a side on hold (RFC 3264 §8.4: RTCP goes on while RTP stops) is not silent.
/// </summary>
internal sealed class MediaActivity
{
    private readonly TimeProvider _time;
    private long _lastFromA;
    private long _lastFromB;

    public MediaActivity(TimeProvider time)
    {
        _time = time;
        Restart();
    }

    /// <summary>How long the quieter side has sent nothing.</summary>
    public TimeSpan LongestSilence
    {
        get
        {
            var oldest = Math.Min(Volatile.Read(ref _lastFromA), Volatile.Read(ref _lastFromB));
            return _time.GetElapsedTime(oldest);
        }
    }

    /// <summary>Both sides count as just heard (when media starts).</summary>
    public void Restart()
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastFromA, now);
        Volatile.Write(ref _lastFromB, now);
    }

    public void Heard(bool fromA)
    {
        if (fromA)
        {
            Volatile.Write(ref _lastFromA, _time.GetTimestamp());
        }
        else
        {
            Volatile.Write(ref _lastFromB, _time.GetTimestamp());
        }
    }
}
