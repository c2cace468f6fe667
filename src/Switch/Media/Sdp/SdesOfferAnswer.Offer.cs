using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

public static partial class SdesOfferAnswer
{
    /// <summary>
    /// Our offer for a leg the switch calls: one RTP/SAVP audio stream with our codecs, and one a=crypto line per
    /// allowed suite, tagged 1..n in preference order, each with fresh keys (RFC 4568 §7.1.1).
    /// </summary>
    public static SdesOffer CreateOffer(LocalMediaOptions local)
    {
        if (local.Suites.Count == 0)
        {
            throw new ArgumentException("An SRTP offer needs at least one suite.", nameof(local));
        }

        var cryptos = local.Suites.Select((suite, i) => SdesCryptoAttribute.Generate(i + 1, suite)).ToList();
        var codecs = local.Codecs.Where(codec => !codec.IsTelephoneEvent).ToList();
        var telephoneEvent = local.Codecs.FirstOrDefault(codec => codec.IsTelephoneEvent);
        var offer = OurSession(local);
        offer.Media.Add(OurAudio("RTP/SAVP", local, codecs, telephoneEvent, null, _ => null, local.RtcpMux, local.Direction, local.Ptime, cryptos));
        return new SdesOffer(offer, cryptos);
    }

    /// <summary>
    /// Reads the answer to our offer (RFC 3264 §7, RFC 4568 §7.1.3): the audio stream must be accepted with exactly
    /// one a=crypto line whose tag and suite are among those we offered.
    /// </summary>
    public static NegotiationResult AcceptAnswer(SdesOffer offer, SessionDescription answer)
    {
        var audioIndex = offer.Offer.Media.FindIndex(media => media.IsAudio);
        if (audioIndex < 0 || audioIndex >= answer.Media.Count || !answer.Media[audioIndex].IsAudio)
        {
            return NegotiationResult.NotAcceptable("the answer does not match the offer's media streams");
        }

        var audio = answer.Media[audioIndex];
        if (audio.Port == 0)
        {
            return NegotiationResult.NotAcceptable("the answer refused the audio stream");
        }

        if (ProtocolProblem(audio) is { } protocolProblem)
        {
            return NegotiationResult.NotAcceptable(protocolProblem);
        }

        if (answer.ConnectionOf(audio) is not { } connection)
        {
            return NegotiationResult.NotAcceptable("the answer has no c= line for its audio stream");
        }

        var values = audio.CryptoValues.ToList();
        if (values.Count != 1)
        {
            return NegotiationResult.NotAcceptable("the answer must carry exactly one a=crypto line");
        }

        if (!SdesCryptoAttribute.TryParse(values[0], out var remoteCrypto, out var problem))
        {
            return NegotiationResult.NotAcceptable(problem);
        }

        var localCrypto = offer.Cryptos.FirstOrDefault(crypto => crypto.Tag == remoteCrypto.Tag && crypto.Suite == remoteCrypto.Suite);
        if (localCrypto is null)
        {
            return NegotiationResult.NotAcceptable($"the answer's a=crypto tag {remoteCrypto.Tag} does not match an offered suite");
        }

        var ours = offer.Offer.Media[audioIndex];
        var (codecs, telephoneEvent) = MatchCodecs(audio, [.. ours.Formats.Select(format =>
            SdpRtpMap.TryParsePayloadType(format, out var payloadType) ? ours.RtpMapOf(payloadType) : null).OfType<SdpRtpMap>()]);
        if (codecs.Count == 0)
        {
            return NegotiationResult.NotAcceptable("the answer has no audio codec we offered");
        }

        var rtcpMux = ours.RtcpMux && audio.RtcpMux;
        return new NegotiationResult
        {
            Media = new NegotiatedMedia
            {
                Suite = remoteCrypto.Suite,
                RemoteCrypto = remoteCrypto,
                LocalCrypto = localCrypto,
                RemoteAddress = connection.Address,
                RemoteRtpPort = audio.Port,
                RemoteRtcpPort = RemoteRtcpPort(audio, rtcpMux),
                RtcpMux = rtcpMux,
                Direction = Intersect(Reverse(answer.DirectionOf(audio)), offer.Offer.DirectionOf(ours)),
                Codecs = codecs,
                TelephoneEventPayloadType = telephoneEvent?.PayloadType,
                Ptime = audio.Ptime,
            },
        };
    }
}
