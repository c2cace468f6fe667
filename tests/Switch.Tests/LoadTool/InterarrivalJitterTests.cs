using HostedPbx.Switch.LoadTool.Media;

namespace HostedPbx.Switch.Tests.LoadTool;

public sealed class InterarrivalJitterTests
{
    [Fact]
    public void Add_PacketsExactlyOnSchedule_JitterIsZero()
    {
        var jitter = new InterarrivalJitter();
        for (var i = 0; i < 100; i++)
        {
            jitter.Add((uint)(1000 + (i * 160)), 5_000 + (i * 160));
        }

        Assert.Equal(0, jitter.Value);
    }

    [Fact]
    public void Add_ArrivalsAlternatelyLate_ConvergesToTheDeviationWithGainOneSixteenth()
    {
        // Every other packet arrives 80 timestamp units (10 ms) late: |D| = 80 between every pair.
        var jitter = new InterarrivalJitter();
        jitter.Add(0, 0);
        jitter.Add(160, 160 + 80);
        Assert.Equal(5, jitter.Value, 6); // RFC 3550 §6.4.1: J = J + (|D| - J) / 16 = 80 / 16.
        for (var i = 2; i < 300; i++)
        {
            jitter.Add((uint)(i * 160), (i * 160) + (i % 2 * 80));
        }

        Assert.Equal(80, jitter.Value, 1);
    }

    [Fact]
    public void Add_RtpTimestampWraps_NoSpuriousJitter()
    {
        var jitter = new InterarrivalJitter();
        var timestamp = uint.MaxValue - 400;
        long arrival = 1_000_000;
        for (var i = 0; i < 10; i++)
        {
            jitter.Add(timestamp, arrival);
            timestamp = unchecked(timestamp + 160);
            arrival += 160;
        }

        Assert.Equal(0, jitter.Value);
    }
}
