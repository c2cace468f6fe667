using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

/// <summary>RFC 3711 §3.3.1: the receiver's guess of the rollover counter from s_l and the new sequence number.</summary>
public sealed class SrtpStreamTests
{
    [Theory]
    [InlineData(5UL, 65530, 3, 6L)]      // wrapped forward: ROC + 1
    [InlineData(5UL, 65530, 65529, 5L)]  // a little late, same cycle
    [InlineData(5UL, 2, 65534, 4L)]      // late from the previous cycle: ROC - 1
    [InlineData(5UL, 2, 10, 5L)]
    [InlineData(5UL, 40000, 7232, 5L)]   // exactly 32768 behind s_l: still this cycle
    [InlineData(5UL, 40000, 7231, 6L)]   // one further: taken as the next cycle
    [InlineData(5UL, 40000, 7000, 6L)]
    public void EstimateIndex_AroundTheWrap_PicksClosestCycle(ulong roc, int last, int sequence, long expectedRoc)
    {
        var stream = new SrtpStream();
        stream.Advance((roc << 16) | (uint)last);

        Assert.Equal((expectedRoc * 65536) + sequence, stream.EstimateIndex((ushort)sequence));
    }

    [Fact]
    public void EstimateIndex_BeforeRocZero_Invalid()
    {
        var stream = new SrtpStream();
        stream.Advance(2);

        Assert.Equal(-1, stream.EstimateIndex(65534));
    }

    [Fact]
    public void EstimateIndex_FirstPacket_IsItsSequenceWithRocZero()
    {
        Assert.Equal(40000, new SrtpStream().EstimateIndex(40000));
    }

    [Fact]
    public void Advance_OlderIndex_KeepsHighest()
    {
        var stream = new SrtpStream();
        stream.Advance(70000);
        stream.Advance(69000);

        Assert.Equal(70000UL, stream.HighestIndex);
    }
}
