namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// Sums over RTCP reception reports: how many, their interarrival jitter in seconds and their fraction lost (0-1).
/// Divided by <see cref="Reports"/> they give the mean jitter and loss (as a Prometheus summary's _sum and _count).
/// </summary>
public readonly record struct RtcpReceptionTotals(long Reports, double JitterSeconds, double FractionLost)
{
    public RtcpReceptionTotals Add(RtcpReceptionTotals other) =>
        new(Reports + other.Reports, JitterSeconds + other.JitterSeconds, FractionLost + other.FractionLost);
}
