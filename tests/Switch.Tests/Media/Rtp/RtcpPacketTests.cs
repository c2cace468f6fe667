using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Tests.Media.Rtp;

public sealed class RtcpPacketTests
{
    [Theory]
    [InlineData(200, true)]  // SR
    [InlineData(201, true)]  // RR
    [InlineData(203, true)]  // BYE
    [InlineData(192, true)]  // lower bound of RFC 5761 §4's range
    [InlineData(223, true)]  // upper bound
    [InlineData(191, false)] // RTP PT 63 with marker
    [InlineData(224, false)] // RTP PT 96 with marker
    [InlineData(0, false)]   // PCMU
    [InlineData(8, false)]   // PCMA
    [InlineData(101, false)] // telephone-event
    [InlineData(0x80 | 101, false)]
    public void IsRtcp_SecondOctet_FollowsRfc5761Range(byte secondOctet, bool rtcp)
    {
        byte[] packet = [0x80, secondOctet, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];

        Assert.Equal(rtcp, RtcpPacket.IsRtcp(packet));
    }

    [Fact]
    public void IsRtcp_ShortOrWrongVersion_False()
    {
        Assert.False(RtcpPacket.IsRtcp([0x80, 200, 0, 1, 0, 0, 0]));
        Assert.False(RtcpPacket.IsRtcp([0x40, 200, 0, 1, 0, 0, 0, 1]));
    }

    [Fact]
    public void ReadSenderSsrc_ReceiverReport_ReturnsSsrc()
    {
        byte[] packet = [0x81, 201, 0, 7, 0xCA, 0xFE, 0xBA, 0xBE];

        Assert.Equal(0xCAFEBABEu, RtcpPacket.ReadSenderSsrc(packet));
    }
}
