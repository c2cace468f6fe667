using HostedPbx.Switch.Media.Rtp;

namespace HostedPbx.Switch.Tests.Media.Rtp;

public sealed class RtpHeaderTests
{
    [Fact]
    public void TryRead_FixedHeader_ReadsFields()
    {
        byte[] packet = [0x80, 0x88, 0x12, 0x34, 0xDE, 0xCA, 0xFB, 0xAD, 0xCA, 0xFE, 0xBA, 0xBE, 0xFF];

        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.Equal(2, header.Version);
        Assert.False(header.HasPadding);
        Assert.False(header.HasExtension);
        Assert.Equal(0, header.CsrcCount);
        Assert.True(header.Marker);
        Assert.Equal(8, header.PayloadType);
        Assert.Equal(0x1234, header.SequenceNumber);
        Assert.Equal(0xDECAFBADu, header.Timestamp);
        Assert.Equal(0xCAFEBABEu, header.Ssrc);
        Assert.Equal(12, header.Length);
    }

    [Fact]
    public void TryRead_CsrcsAndExtension_LengthCoversBoth()
    {
        // 2 CSRCs, then an extension header with 1 word of data (RFC 3550 §5.3.1).
        byte[] packet =
        [
            0xB2, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1,
            0, 0, 0, 2, 0, 0, 0, 3,
            0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00,
            0x55,
        ];

        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.True(header.HasPadding);
        Assert.True(header.HasExtension);
        Assert.Equal(2, header.CsrcCount);
        Assert.Equal(28, header.Length);
    }

    [Theory]
    [InlineData("800012340000000000000001", true)]
    [InlineData("8000123400000000000000", false)]
    [InlineData("400012340000000000000001", false)]
    [InlineData("810012340000000000000001", false)]
    [InlineData("900012340000000000000001BEDE", false)]
    [InlineData("900012340000000000000001BEDE0001", false)]
    [InlineData("900012340000000000000001BEDE000100000000", true)]
    public void TryRead_TruncatedOrWrongVersion_Rejected(string hex, bool valid)
    {
        Assert.Equal(valid, RtpHeader.TryRead(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void TryRead_EveryPrefixOfHeader_RejectedWithoutThrowing()
    {
        // 2 CSRCs and a one-word extension: 12 + 8 + 4 + 4 = 28 octets of header.
        var packet = Convert.FromHexString("92001234000000000000000100000002" + "00000003BEDE000100000000");
        Assert.True(RtpHeader.TryRead(packet, out var full));
        Assert.Equal(28, full.Length);
        var length = full.Length;

        for (var prefix = 0; prefix < length; prefix++)
        {
            Assert.False(RtpHeader.TryRead(packet.AsSpan(0, prefix), out _));
        }
    }
}
