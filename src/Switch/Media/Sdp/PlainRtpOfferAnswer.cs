using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>
/// Offer/answer for plain RTP (RTP/AVP, RFC 3551) toward a named trunk the operator allowed it for (issue 11): never
/// toward a handset or a node, whose legs stay SDES-keyed SRTP (<see cref="SdesOfferAnswer"/>).
/// </summary>
public static class PlainRtpOfferAnswer
{
    private const string Protocol = "RTP/AVP";

    /// <summary>RFC 3264 §5: the same audio stream as the SRTP offer, as RTP/AVP and without a=crypto lines (RFC 4568 §5).</summary>
    public static SessionDescription Offer(SdesOffer srtp)
    {
        ArgumentNullException.ThrowIfNull(srtp);
        if (!SdpReader.TryRead(SdpWriter.WriteUtf8(srtp.Offer), out var plain, out var error))
        {
            throw new InvalidOperationException($"Our own offer did not read back: {error}");
        }

        foreach (var media in plain.Media.Where(m => m.IsAudio))
        {
            media.Protocol = Protocol;
            media.Attributes.RemoveAll(a => a.Name.Equals(SdesCryptoAttribute.Name, StringComparison.OrdinalIgnoreCase));
        }

        return plain;
    }

    /// <summary>True when the first audio stream of an offer or answer is plain RTP (RTP/AVP or RTP/AVPF).</summary>
    public static bool IsPlain(SessionDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.Media.Find(m => m.IsAudio && m.Port != 0) is { } audio && IsPlain(audio);
    }

    /// <summary>
    /// RFC 3264 §6: answers a plain carrier's RTP/AVP offer (issue 11, inbound) with the same protocol and no a=crypto:
    /// its first audio stream, the codecs we relay that it offered (RFC 3551 PCMU and PCMA, RFC 4733 telephone-event at
    /// 8 kHz), the mirrored direction and rtcp-mux when offered (RFC 5761). Other streams are refused with port 0. The
    /// caller decides that this trunk may have plain RTP at all; an SRTP offer is not this function's to answer.
    /// </summary>
    public static NegotiationResult Answer(SessionDescription offer, LocalMediaOptions local)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(local);
        var audioIndex = offer.Media.FindIndex(media => media.IsAudio && media.Port != 0);
        if (audioIndex < 0)
        {
            return NegotiationResult.NotAcceptable("the offer has no audio stream", "No audio stream");
        }

        var audio = offer.Media[audioIndex];
        if (!IsPlain(audio))
        {
            return NegotiationResult.NotAcceptable($"a plain RTP answer was asked for an offer of {audio.Protocol}", "Media protocol not supported");
        }

        if (offer.ConnectionOf(audio) is not { } connection)
        {
            return NegotiationResult.NotAcceptable("the offer has no c= line for its audio stream", "No connection address");
        }

        var (codecs, telephoneEvent) = SdesOfferAnswer.MatchCodecs(audio, local.Codecs);
        if (codecs.Count == 0)
        {
            return NegotiationResult.NotAcceptable("no common audio codec (PCMU or PCMA)", "No common codec, PCMU or PCMA");
        }

        var rtcpMux = local.RtcpMux && audio.RtcpMux;
        var direction = SdesOfferAnswer.Intersect(SdesOfferAnswer.Reverse(offer.DirectionOf(audio)), local.Direction);
        var answer = SdesOfferAnswer.OurSession(local);
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var offered = offer.Media[i];
            answer.Media.Add(i == audioIndex
                // RFC 3264 §6.1: the answer's stream uses the offer's transport protocol; RFC 4568 §5: no keys without SRTP.
                ? SdesOfferAnswer.OurAudio(audio.Protocol, local, codecs, telephoneEvent, telephoneEvent is null ? null : audio.FmtpOf(telephoneEvent.PayloadType),
                    audio.FmtpOf, rtcpMux, direction, audio.Ptime, [])
                // RFC 3264 §6: a refused stream keeps its place, with port 0.
                : new MediaDescription { Media = offered.Media, Port = 0, Protocol = offered.Protocol, Formats = [.. offered.Formats] });
        }

        return new NegotiationResult
        {
            Answer = answer,
            Media = new NegotiatedMedia(connection.Address, audio.Port, SdesOfferAnswer.RemoteRtcpPort(audio, rtcpMux), rtcpMux, direction, codecs)
            {
                TelephoneEventPayloadType = telephoneEvent?.PayloadType,
                Ptime = audio.Ptime,
            },
        };
    }

    /// <summary>
    /// RFC 3264 §7: the carrier's plain answer to our offer <paramref name="offer"/>: its address, the codecs we offered
    /// that it kept, the direction, rtcp-mux (RFC 5761). Anything else is refused as a 488 would be.
    /// </summary>
    public static NegotiationResult AcceptAnswer(SessionDescription offer, SessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(answer);
        var audioIndex = offer.Media.FindIndex(m => m.IsAudio);
        if (audioIndex < 0 || audioIndex >= answer.Media.Count || !answer.Media[audioIndex].IsAudio)
        {
            return NegotiationResult.NotAcceptable("the answer does not match the offer's media streams");
        }

        var audio = answer.Media[audioIndex];
        if (audio.Port == 0)
        {
            return NegotiationResult.NotAcceptable("the answer refused the audio stream");
        }

        if (!IsPlain(audio))
        {
            return NegotiationResult.NotAcceptable($"a plain RTP offer was answered with {audio.Protocol}");
        }

        if (answer.ConnectionOf(audio) is not { } connection)
        {
            return NegotiationResult.NotAcceptable("the answer has no c= line for its audio stream");
        }

        var ours = offer.Media[audioIndex];
        List<SdpRtpMap> offered = [.. ours.Formats.Select(f => SdpRtpMap.TryParsePayloadType(f, out var pt) ? ours.RtpMapOf(pt) : null).OfType<SdpRtpMap>()];
        var codecs = new List<SdpRtpMap>();
        SdpRtpMap? telephoneEvent = null;
        foreach (var format in audio.Formats)
        {
            if (SdpRtpMap.TryParsePayloadType(format, out var payloadType) && audio.RtpMapOf(payloadType) is { } map && offered.Exists(o => o.SameCodecAs(map)))
            {
                if (map.IsTelephoneEvent)
                {
                    telephoneEvent ??= map;
                }
                else
                {
                    codecs.Add(map);
                }
            }
        }

        if (codecs.Count == 0)
        {
            return NegotiationResult.NotAcceptable("the answer has no audio codec we offered");
        }

        var rtcpMux = ours.RtcpMux && audio.RtcpMux;
        // RFC 3264 §6.1: what the carrier sends we receive.
        var direction = SdesOfferAnswer.Reverse(answer.DirectionOf(audio));
        return new NegotiationResult
        {
            Media = new NegotiatedMedia(connection.Address, audio.Port, rtcpMux ? audio.Port : audio.RtcpPort ?? audio.Port + 1, rtcpMux, direction, codecs)
            {
                TelephoneEventPayloadType = telephoneEvent?.PayloadType,
                Ptime = audio.Ptime,
            },
        };
    }

    private static bool IsPlain(MediaDescription audio) =>
        audio.Protocol.Equals(Protocol, StringComparison.OrdinalIgnoreCase) || audio.Protocol.Equals("RTP/AVPF", StringComparison.OrdinalIgnoreCase);
}
