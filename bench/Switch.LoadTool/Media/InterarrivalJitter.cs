namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>
/// RFC 3550 §6.4.1 interarrival jitter: the mean deviation of the difference in packet spacing at the receiver
/// compared with the sender, in RTP timestamp units, smoothed with gain 1/16 (the estimator of Appendix A.8).
/// </summary>
internal struct InterarrivalJitter
{
    private bool _started;
    private uint _lastTransit;
    private double _jitter;

    /// <summary>The current estimate J, in timestamp units.</summary>
    public readonly double Value => _jitter;

    /// <summary>Adds one packet: its RTP timestamp and its arrival time, both in timestamp units (8 kHz for G.711).</summary>
    public void Add(uint rtpTimestamp, long arrival)
    {
        // Transit time relative to the sender's clock; its absolute value is meaningless, only differences count.
        // Modulo 2^32, so a timestamp that wraps does not look like a jump.
        var transit = unchecked((uint)arrival - rtpTimestamp);
        if (_started)
        {
            // D(i-1,i) = (Rj - Ri) - (Sj - Si) = transit(j) - transit(i); J += (|D| - J) / 16.
            var d = Math.Abs((long)unchecked((int)(transit - _lastTransit)));
            _jitter += (d - _jitter) / 16.0;
        }

        _started = true;
        _lastTransit = transit;
    }
}
