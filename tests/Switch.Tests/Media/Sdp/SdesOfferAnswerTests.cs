using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Tests.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Sdp;

public sealed class SdesOfferAnswerTests
{
    private static readonly SrtpSuite[] s_allSuites = Enum.GetValues<SrtpSuite>();

    [Fact]
    public void Answer_BaresipOffer_AcceptsCryptoWithSameTagAndFreshKey()
    {
        var offer = Read("baresip-offer.sdp");

        var result = SdesOfferAnswer.Answer(offer, Local(s_allSuites));

        Assert.True(result.IsAcceptable, result.NotAcceptableReason);
        var media = result.Media;
        Assert.Equal(SrtpSuite.AesCm128HmacSha1Tag80, media.Suite);
        Assert.Equal(1, media.LocalCrypto.Tag);
        Assert.Equal(media.RemoteCrypto.ToString(), offer.Media[0].CryptoValues.Single());
        Assert.NotEqual(media.RemoteCrypto.Keys.ToInline(), media.LocalCrypto.Keys.ToInline());
        Assert.Equal("192.0.2.10", media.RemoteAddress);
        Assert.Equal(10384, media.RemoteRtpPort);
        Assert.False(media.RtcpMux);
        Assert.Equal(10385, media.RemoteRtcpPort);
        Assert.Equal([SdpRtpMap.Pcmu], media.Codecs);
        Assert.Equal(101, media.TelephoneEventPayloadType);
        Assert.Equal(MediaDirection.SendRecv, media.Direction);

        var text = SdpWriter.Write(result.Answer!);
        Assert.Contains("m=audio 30000 RTP/SAVP 0 101\r\n", text, StringComparison.Ordinal);
        Assert.Contains("c=IN IP4 203.0.113.5\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:101 0-15\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{media.LocalCrypto.Keys.ToInline()}\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("rtcp-mux", text, StringComparison.Ordinal);
        Assert.True(SdpReader.TryRead(text, out _, out _));
    }

    [Fact]
    public void Answer_LinphoneOffer_PicksFirstAllowedLineInOfferOrder()
    {
        var result = SdesOfferAnswer.Answer(Read("linphone-offer.sdp"), Local([SrtpSuite.Aes256CmHmacSha1Tag80, SrtpSuite.AesCm128HmacSha1Tag80]));

        Assert.True(result.IsAcceptable, result.NotAcceptableReason);
        Assert.Equal(1, result.Media.LocalCrypto.Tag);
        Assert.Equal(SrtpSuite.AesCm128HmacSha1Tag80, result.Media.Suite);
    }

    [Theory]
    [InlineData(SrtpSuite.AesCm128HmacSha1Tag32, 2)]
    [InlineData(SrtpSuite.Aes256CmHmacSha1Tag80, 3)]
    [InlineData(SrtpSuite.Aes256CmHmacSha1Tag32, 4)]
    public void Answer_LinphoneOfferWithOneAllowedSuite_AnswersThatTag(SrtpSuite allowed, int tag)
    {
        var result = SdesOfferAnswer.Answer(Read("linphone-offer.sdp"), Local([allowed]));

        Assert.True(result.IsAcceptable, result.NotAcceptableReason);
        Assert.Equal(tag, result.Media.LocalCrypto.Tag);
        Assert.Equal(allowed, result.Media.LocalCrypto.Suite);
        Assert.Equal(SrtpSuiteProfile.Of(allowed).KeyLength, result.Media.LocalCrypto.Keys.MasterKey.Length);
        Assert.Single(result.Answer!.Media[0].CryptoValues);
    }

    [Fact]
    public void Answer_LinphoneOffer_KeepsG711AndEightKilohertzEventsAndRefusesVideo()
    {
        var result = SdesOfferAnswer.Answer(Read("linphone-offer.sdp"), Local(s_allSuites));

        Assert.True(result.IsAcceptable, result.NotAcceptableReason);
        Assert.Equal([SdpRtpMap.Pcmu, SdpRtpMap.Pcma], result.Media.Codecs);
        Assert.Equal(101, result.Media.TelephoneEventPayloadType);
        var audio = result.Answer!.Media[0];
        Assert.Equal(["0", "8", "101"], audio.Formats);
        Assert.Equal("0-16", audio.FmtpOf(101));
        var video = result.Answer.Media[1];
        Assert.Equal("video", video.Media);
        Assert.Equal(0, video.Port);
        Assert.Empty(video.Attributes);
    }

    [Fact]
    public void Answer_PlainRtpOffer_NotAcceptable()
    {
        var offer = Read("baresip-offer.sdp");
        offer.Media[0].Protocol = "RTP/AVP";

        var result = SdesOfferAnswer.Answer(offer, Local(s_allSuites));

        Assert.False(result.IsAcceptable);
        Assert.Contains("plain RTP", result.NotAcceptableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_DtlsSrtpOffer_NotAcceptable()
    {
        var offer = Read("baresip-offer.sdp");
        offer.Media[0].Protocol = "UDP/TLS/RTP/SAVP";

        Assert.Contains("DTLS-SRTP", SdesOfferAnswer.Answer(offer, Local(s_allSuites)).NotAcceptableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_NoCryptoLine_NotAcceptable()
    {
        var offer = Read("baresip-offer.sdp");
        offer.Media[0].Attributes.RemoveAll(attribute => attribute.Name == "crypto");

        Assert.Equal("the offer has no a=crypto line", SdesOfferAnswer.Answer(offer, Local(s_allSuites)).NotAcceptableReason);
    }

    [Fact]
    public void Answer_NoAllowedSuite_NotAcceptableNamingTheSuites()
    {
        var result = SdesOfferAnswer.Answer(Read("baresip-offer.sdp"), Local([SrtpSuite.AeadAes256Gcm]));

        Assert.False(result.IsAcceptable);
        Assert.Contains("AES_CM_128_HMAC_SHA1_80 is not allowed", result.NotAcceptableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_OnlyCryptoLineHasMki_NotAcceptableWithReason()
    {
        var offer = Read("baresip-offer.sdp");
        var crypto = offer.Media[0].CryptoValues.Single();
        offer.Media[0].Attributes.RemoveAll(attribute => attribute.Name == "crypto");
        offer.Media[0].Attributes.Add(new SdpAttribute("crypto", crypto + "|2^31|1:1"));

        Assert.Contains("MKI", SdesOfferAnswer.Answer(offer, Local(s_allSuites)).NotAcceptableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_NoCommonCodec_NotAcceptable()
    {
        var offer = Read("linphone-offer.sdp");
        offer.Media[0].Formats.RemoveAll(format => format is "0" or "8");

        Assert.Contains("codec", SdesOfferAnswer.Answer(offer, Local(s_allSuites)).NotAcceptableReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sendonly", MediaDirection.RecvOnly)]
    [InlineData("recvonly", MediaDirection.SendOnly)]
    [InlineData("inactive", MediaDirection.Inactive)]
    [InlineData("sendrecv", MediaDirection.SendRecv)]
    public void Answer_OfferDirection_Mirrored(string offered, MediaDirection answered)
    {
        var offer = Read("baresip-offer.sdp");
        offer.Media[0].Attributes.RemoveAll(attribute => attribute.Name == "sendrecv");
        offer.Media[0].Attributes.Add(new SdpAttribute(offered));

        var result = SdesOfferAnswer.Answer(offer, Local(s_allSuites));

        Assert.Equal(answered, result.Media!.Direction);
        Assert.Equal(answered, result.Answer!.Media[0].Direction);
    }

    [Fact]
    public void Answer_WeHoldAndPeerOffersSendRecv_AnswersSendOnly()
    {
        var result = SdesOfferAnswer.Answer(Read("baresip-offer.sdp"), Local(s_allSuites) with { Direction = MediaDirection.SendOnly });

        Assert.Equal(MediaDirection.SendOnly, result.Media!.Direction);
    }

    [Fact]
    public void Answer_RtcpMuxOffered_AcceptedUnlessDisabled()
    {
        var offer = Read("baresip-offer.sdp");
        offer.Media[0].Attributes.Add(new SdpAttribute("rtcp-mux"));

        var muxed = SdesOfferAnswer.Answer(offer, Local(s_allSuites));
        var separate = SdesOfferAnswer.Answer(offer, Local(s_allSuites) with { RtcpMux = false });

        Assert.True(muxed.Media!.RtcpMux);
        Assert.Equal(10384, muxed.Media.RemoteRtcpPort);
        Assert.True(muxed.Answer!.Media[0].RtcpMux);
        Assert.False(separate.Media!.RtcpMux);
        Assert.False(separate.Answer!.Media[0].RtcpMux);
    }

    [Fact]
    public void Answer_RtcpAttribute_GivesRemoteRtcpPort()
    {
        var offer = Read("baresip-offer.sdp");
        offer.Media[0].Attributes.Add(new SdpAttribute("rtcp", "10999 IN IP4 192.0.2.10"));

        Assert.Equal(10999, SdesOfferAnswer.Answer(offer, Local(s_allSuites)).Media!.RemoteRtcpPort);
    }

    [Fact]
    public void CreateOffer_SeveralSuites_OneCryptoLinePerSuiteInOrder()
    {
        var offer = SdesOfferAnswer.CreateOffer(Local([SrtpSuite.AeadAes256Gcm, SrtpSuite.AesCm128HmacSha1Tag80]));

        var text = SdpWriter.Write(offer.Offer);
        Assert.Contains("m=audio 30000 RTP/SAVP 0 8 101\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:101 telephone-event/8000\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:101 0-16\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=rtcp-mux\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=ptime:20\r\n", text, StringComparison.Ordinal);
        Assert.Equal([1, 2], offer.Cryptos.Select(crypto => crypto.Tag));
        Assert.Equal(
            [$"1 AEAD_AES_256_GCM inline:{offer.Cryptos[0].Keys.ToInline()}", $"2 AES_CM_128_HMAC_SHA1_80 inline:{offer.Cryptos[1].Keys.ToInline()}"],
            offer.Offer.Media[0].CryptoValues);
    }

    [Theory]
    [MemberData(nameof(SrtpContextTests.Suites), MemberType = typeof(SrtpContextTests))]
    public void CreateOffer_AnsweredByPeer_BothSidesExchangeSrtp(SrtpSuite suite)
    {
        // Our offer goes to the callee; the callee (played by the same code) answers; we read its answer.
        var ours = SdesOfferAnswer.CreateOffer(Local([SrtpSuite.AesCm128HmacSha1Tag32, suite]));
        Assert.True(SdpReader.TryRead(SdpWriter.Write(ours.Offer), out var received, out _));
        var peer = SdesOfferAnswer.Answer(received, Local([suite]) with { Address = "198.51.100.7", RtpPort = 40000 });
        Assert.True(SdpReader.TryRead(SdpWriter.Write(peer.Answer!), out var answer, out _));

        var result = SdesOfferAnswer.AcceptAnswer(ours, answer);

        Assert.True(result.IsAcceptable, result.NotAcceptableReason);
        Assert.Equal(suite, result.Media.Suite);
        Assert.Equal("198.51.100.7", result.Media.RemoteAddress);
        Assert.True(result.Media.RtcpMux);
        Assert.Equal(40000, result.Media.RemoteRtcpPort);
        using var weSend = result.Media.CreateOutboundContext();
        using var peerReceives = peer.Media!.CreateInboundContext();
        using var peerSends = peer.Media.CreateOutboundContext();
        using var weReceive = result.Media.CreateInboundContext();
        AssertDelivered(weSend, peerReceives);
        AssertDelivered(peerSends, weReceive);
    }

    [Fact]
    public void AcceptAnswer_TagNotOffered_NotAcceptable()
    {
        var ours = SdesOfferAnswer.CreateOffer(Local([SrtpSuite.AesCm128HmacSha1Tag80]));
        var answer = Read("baresip-offer.sdp");
        answer.Media[0].Attributes.RemoveAll(attribute => attribute.Name == "crypto");
        answer.Media[0].Attributes.Add(new SdpAttribute("crypto", SdesCryptoAttribute.Generate(2, SrtpSuite.AesCm128HmacSha1Tag80).ToString()));

        Assert.Contains("tag 2", SdesOfferAnswer.AcceptAnswer(ours, answer).NotAcceptableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptAnswer_AudioRefused_NotAcceptable()
    {
        var ours = SdesOfferAnswer.CreateOffer(Local([SrtpSuite.AesCm128HmacSha1Tag80]));
        var answer = Read("baresip-offer.sdp");
        answer.Media[0].Port = 0;

        Assert.Contains("refused", SdesOfferAnswer.AcceptAnswer(ours, answer).NotAcceptableReason, StringComparison.Ordinal);
    }

    private static void AssertDelivered(SrtpContext sender, SrtpContext receiver)
    {
        var packet = SrtpPackets.Rtp(500);
        var plain = packet[..SrtpPackets.RtpLength()];
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(packet, plain.Length, out var length));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet.AsSpan(0, length), out var plainLength));
        Assert.Equal(plain, packet[..plainLength]);
    }

    private static SessionDescription Read(string file)
    {
        Assert.True(SdpReader.TryRead(SdpFiles.Read(file), out var sdp, out var error), error);
        return sdp;
    }

    private static LocalMediaOptions Local(IReadOnlyList<SrtpSuite> suites) => new()
    {
        Address = "203.0.113.5",
        RtpPort = 30000,
        SessionId = 42,
        SessionVersion = 1,
        Suites = suites,
    };
}
