using HostedPbx.Switch.LoadTool.Media;

namespace HostedPbx.Switch.Tests.LoadTool;

public sealed class SequenceTrackerTests
{
    [Fact]
    public void Add_OnePacketMissing_CountsOneLost()
    {
        var tracker = new SequenceTracker();
        foreach (var sequence in new ushort[] { 10, 11, 13, 14 })
        {
            tracker.Add(sequence);
        }

        Assert.Equal(5, tracker.Expected);
        Assert.Equal(4, tracker.Received);
        Assert.Equal(1, tracker.Lost);
    }

    [Fact]
    public void Add_SequenceWrapsPast65535_CountsAcrossTheWrap()
    {
        var tracker = new SequenceTracker();
        foreach (var sequence in new ushort[] { 65534, 65535, 0, 1 })
        {
            tracker.Add(sequence);
        }

        Assert.Equal(4, tracker.Expected);
        Assert.Equal(0, tracker.Lost);
    }

    [Fact]
    public void Add_LatePacket_CountsOutOfOrderWithoutLoss()
    {
        var tracker = new SequenceTracker();
        foreach (var sequence in new ushort[] { 1, 3, 2, 4 })
        {
            tracker.Add(sequence);
        }

        Assert.Equal(1, tracker.OutOfOrder);
        Assert.Equal(0, tracker.Lost);
    }
}
