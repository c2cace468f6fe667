using HostedPbx.Switch.Media.Sdp;

namespace HostedPbx.Switch.Tests.Media.Sdp;

public sealed class SdpReaderTests
{
    [Fact]
    public void TryRead_BaresipOffer_ReadsAudioSection()
    {
        Assert.True(SdpReader.TryRead(SdpFiles.Read("baresip-offer.sdp"), out var sdp, out var error), error);

        Assert.Equal("2876125322", sdp.Origin.SessionVersion);
        Assert.Equal("192.0.2.10", sdp.Connection?.Address);
        var audio = Assert.Single(sdp.Media);
        Assert.Equal("audio", audio.Media);
        Assert.Equal(10384, audio.Port);
        Assert.Equal("RTP/SAVP", audio.Protocol);
        Assert.Equal(["0", "101"], audio.Formats);
        Assert.Equal(["AS:64"], audio.Bandwidths);
        Assert.Equal(MediaDirection.SendRecv, audio.Direction);
        Assert.False(audio.RtcpMux);
        Assert.Equal(20, audio.Ptime);
        Assert.Contains(audio.Attributes, attribute => attribute.Name == "rtcp-rsize");
        Assert.Equal("0-15", audio.FmtpOf(101));
        Assert.StartsWith("1 AES_CM_128_HMAC_SHA1_80 inline:", Assert.Single(audio.CryptoValues), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_LinphoneOffer_ReadsEveryFormatAndCryptoLine()
    {
        Assert.True(SdpReader.TryRead(SdpFiles.Read("linphone-offer.sdp"), out var sdp, out var error), error);

        Assert.Equal(2, sdp.Media.Count);
        var audio = sdp.Media[0];
        Assert.Equal(["96", "97", "98", "0", "8", "18", "99", "100", "101"], audio.Formats);
        Assert.Equal(4, audio.CryptoValues.Count());
        Assert.Equal(new SdpRtpMap(96, "opus", 48000, 2), audio.RtpMapOf(96));
        Assert.Equal(SdpRtpMap.Pcma, audio.RtpMapOf(8));
        Assert.Null(audio.RtpMapOf(18));
        Assert.Equal(2, sdp.Attributes.Count);
        Assert.Equal("video", sdp.Media[1].Media);
    }

    [Fact]
    public void TryRead_CrlfAndLf_ReadTheSame()
    {
        var lf = SdpFiles.Read("linphone-offer.sdp").ReplaceLineEndings("\n");
        var crlf = lf.ReplaceLineEndings("\r\n");

        Assert.True(SdpReader.TryRead(lf, out var fromLf, out _));
        Assert.True(SdpReader.TryRead(crlf, out var fromCrlf, out _));
        Assert.Equal(SdpWriter.Write(fromLf), SdpWriter.Write(fromCrlf));
    }

    [Fact]
    public void Write_ThenRead_KeepsEveryLine()
    {
        Assert.True(SdpReader.TryRead(SdpFiles.Read("linphone-offer.sdp"), out var sdp, out _));

        var written = SdpWriter.Write(sdp);

        Assert.Equal(SdpFiles.Read("linphone-offer.sdp").ReplaceLineEndings("\r\n"), written);
    }

    [Fact]
    public void TryRead_UnknownLinesAndSessionLevelDirection_KeptAndApplied()
    {
        const string Text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\ni=info\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nz=0 0\r\n"
            + "a=inactive\r\nm=audio 4000/2 RTP/SAVP 0\r\ny=unknown\r\n";

        Assert.True(SdpReader.TryRead(Text, out var sdp, out var error), error);
        Assert.Equal(MediaDirection.Inactive, sdp.DirectionOf(sdp.Media[0]));
        Assert.Equal(2, sdp.Media[0].PortCount);
        Assert.Equal(["y=unknown"], sdp.Media[0].OtherLines);
        Assert.Equal(Text, SdpWriter.Write(sdp));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("\r\n\r\n", "empty")]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\r\n", "v=")]
    [InlineData("v=1\r\n", "version")]
    [InlineData("v=0\r\ns=-\r\n", "o=")]
    [InlineData("v=0\r\no=- 1 IN IP4 192.0.2.1\r\n", "6 fields")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 x\r\nthis is not sdp\r\n", "line 3")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 x\r\nm=audio 70000 RTP/SAVP 0\r\n", "port")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 x\r\nm=audio -1 RTP/SAVP 0\r\n", "port")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 x\r\nm=audio\r\n", "m=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 x\r\nc=IN IP4\r\n", "c=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 x\r\nv=0\r\n", "v=")]
    public void TryRead_Malformed_ReturnsReason(string text, string reason)
    {
        Assert.False(SdpReader.TryRead(text, out var sdp, out var error));
        Assert.Null(sdp);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_LeadingAndTrailingBlankLines_Tolerated()
    {
        Assert.True(SdpReader.TryRead("\r\n" + SdpFiles.Read("baresip-offer.sdp") + "\r\n\r\n", out var sdp, out var error), error);
        Assert.Single(sdp.Media);
    }

    [Fact]
    public void TryRead_EveryPrefixOfRealOffer_NeverThrows()
    {
        var text = SdpFiles.Read("linphone-offer.sdp");

        for (var length = 0; length <= text.Length; length++)
        {
            SdpReader.TryRead(text[..length], out _, out _);
        }
    }

    [Fact]
    public void TryRead_RandomBytes_NeverThrows()
    {
        var random = new Random(3264);
        var seed = System.Text.Encoding.UTF8.GetBytes(SdpFiles.Read("baresip-offer.sdp"));
        for (var round = 0; round < 2000; round++)
        {
            var mutated = seed.ToArray();
            for (var flips = 0; flips < 8; flips++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            SdpReader.TryRead(mutated, out _, out _);
        }
    }

    [Fact]
    public void TryRead_TooLarge_Refused()
    {
        var text = "v=0\r\n" + new string('a', SdpReader.MaxLength);

        Assert.False(SdpReader.TryRead(text, out _, out var error));
        Assert.Contains("too large", error, StringComparison.Ordinal);
    }
}
