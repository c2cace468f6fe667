using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Tests.Media.Rtp;

public sealed class RtcpReportBlockTests
{
    [Fact]
    public void TryReadFirst_ReceiverReportThenSdes_ReadsLossAndJitter()
    {
        var (buffer, length) = RtcpReports.ReceiverReport(0x0A0B0C0D, 0x11223344, fractionLost: 64, cumulativeLost: 1234, jitter: 160);

        Assert.True(RtcpReportBlock.TryReadFirst(buffer.AsSpan(0, length), out var block));
        Assert.Equal(new RtcpReportBlock(0x11223344, 64, 1234, 160), block);
    }

    [Fact]
    public void TryReadFirst_SenderReport_SkipsSenderInfo()
    {
        var (buffer, length) = RtcpReports.SenderReport(0x0A0B0C0D, 0x55667788, fractionLost: 3, cumulativeLost: -2, jitter: 4000);

        Assert.True(RtcpReportBlock.TryReadFirst(buffer.AsSpan(0, length), out var block));
        Assert.Equal(new RtcpReportBlock(0x55667788, 3, -2, 4000), block);
    }

    [Fact]
    public void TryReadFirst_ReportWithoutBlocks_False()
    {
        var (buffer, _) = RtcpReports.ReceiverReport(1, 2, 0, 0, 0);
        // RC = 0 and length 1: an RR from a party that has received nothing yet (RFC 3550 §6.4.2).
        buffer[0] = 0x80;
        buffer[3] = 1;

        Assert.False(RtcpReportBlock.TryReadFirst(buffer.AsSpan(0, 8), out _));
    }

    [Fact]
    public void TryReadFirst_EveryPrefix_NeverThrowsAndNeedsTheWholeReport()
    {
        var (buffer, length) = RtcpReports.ReceiverReport(1, 2, 10, 20, 30);

        for (var prefix = 0; prefix <= length; prefix++)
        {
            var read = RtcpReportBlock.TryReadFirst(buffer.AsSpan(0, prefix), out var block);

            Assert.Equal(prefix >= 32, read);
            Assert.Equal(read ? new RtcpReportBlock(2, 10, 20, 30) : default, block);
        }
    }
}
