using System.Text;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Sdp;

/// <summary>Issue 11: the offer toward a plain trunk is RTP/AVP without keys, and the carrier's plain answer makes keyless media.</summary>
public sealed class PlainRtpOfferAnswerTests
{
    private static readonly SdesOffer s_srtp = SdesOfferAnswer.CreateOffer(new LocalMediaOptions
    {
        Address = "203.0.113.5", RtpPort = 30000, SessionId = 42, SessionVersion = 1, Suites = [SrtpSuite.AesCm128HmacSha1Tag80],
    });

    private static readonly LocalMediaOptions s_local = new()
    {
        Address = "203.0.113.5", RtpPort = 30000, SessionId = 42, SessionVersion = 1, Suites = [SrtpSuite.AesCm128HmacSha1Tag80],
    };

    [Fact]
    public void Offer_FromSrtpOffer_IsRtpAvpWithTheSameStreamAndNoKeys()
    {
        var text = SdpWriter.Write(PlainRtpOfferAnswer.Offer(s_srtp));

        Assert.Contains("m=audio 30000 RTP/AVP 0 8 101\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a=crypto", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SAVP", text, StringComparison.Ordinal);
        // The SRTP offer the handset's side keeps is untouched.
        Assert.Contains("RTP/SAVP", SdpWriter.Write(s_srtp.Offer), StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptAnswer_CarriersPlainAnswer_PlainMediaWithItsAddressAndCodec()
    {
        var answer = Read("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n");

        var result = PlainRtpOfferAnswer.AcceptAnswer(PlainRtpOfferAnswer.Offer(s_srtp), answer);

        Assert.True(result.IsAcceptable, result.NotAcceptableReason);
        Assert.True(result.Media.IsPlain);
        Assert.Equal("198.51.100.7", result.Media.RemoteAddress);
        Assert.Equal(40000, result.Media.RemoteRtpPort);
        Assert.Equal(40001, result.Media.RemoteRtcpPort);
        Assert.Equal("PCMU", Assert.Single(result.Media.Codecs).EncodingName, ignoreCase: true);
        Assert.Throws<InvalidOperationException>(() => result.Media.RemoteCrypto);
    }

    [Fact]
    public void AcceptAnswer_SrtpAnswerToPlainOffer_NotAcceptable()
    {
        var answer = Read("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\nm=audio 40000 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n");

        var result = PlainRtpOfferAnswer.AcceptAnswer(PlainRtpOfferAnswer.Offer(s_srtp), answer);

        Assert.False(result.IsAcceptable);
        Assert.False(PlainRtpOfferAnswer.IsPlain(answer));
    }

    [Fact]
    public void Answer_CarriersPlainOffer_RtpAvpWithoutKeysTheCommonCodecsAndItsEvents()
    {
        var offer = Read("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 18 8 0 101\r\na=rtpmap:18 G729/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n");

        var result = PlainRtpOfferAnswer.Answer(offer, s_local);

        Assert.True(result.IsAcceptable, result.NotAcceptableReason);
        var text = SdpWriter.Write(result.Answer!);
        Assert.Contains("m=audio 30000 RTP/AVP 8 0 101\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=recvonly\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a=crypto", text, StringComparison.Ordinal);
        Assert.True(result.Media.IsPlain);
        Assert.Equal(("198.51.100.7", 40000, 40001, 101), (result.Media.RemoteAddress, result.Media.RemoteRtpPort, result.Media.RemoteRtcpPort, result.Media.TelephoneEventPayloadType));
        Assert.Equal(["PCMA", "PCMU"], result.Media.Codecs.Select(c => c.EncodingName.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("m=audio 40000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n", "No common codec, PCMU or PCMA")]
    [InlineData("m=audio 40000 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n", "Media protocol not supported")]
    [InlineData("m=video 40000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n", "No audio stream")]
    public void Answer_OfferItCannotTake_NotAcceptableWithFixedWords(string media, string phrase)
    {
        var offer = Read("v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n" + media);

        var result = PlainRtpOfferAnswer.Answer(offer, s_local);

        Assert.False(result.IsAcceptable);
        Assert.Equal(phrase, result.ReasonPhrase);
    }

    private static SessionDescription Read(string text) =>
        SdpReader.TryRead(Encoding.ASCII.GetBytes(text), out var description, out var error) ? description : throw new InvalidOperationException(error);
}
