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

    /// <summary>True when the answer's first audio stream is plain RTP (RTP/AVP or RTP/AVPF).</summary>
    public static bool IsPlain(SessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Media.Find(m => m.IsAudio) is { } audio
            && (audio.Protocol.Equals(Protocol, StringComparison.OrdinalIgnoreCase) || audio.Protocol.Equals("RTP/AVPF", StringComparison.OrdinalIgnoreCase));
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

        if (!IsPlain(answer))
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
        var theirs = answer.DirectionOf(audio);
        // RFC 3264 §6.1: what the carrier sends we receive.
        var direction = theirs switch
        {
            MediaDirection.SendOnly => MediaDirection.RecvOnly,
            MediaDirection.RecvOnly => MediaDirection.SendOnly,
            MediaDirection.SendRecv => MediaDirection.SendRecv,
            MediaDirection.Inactive => MediaDirection.Inactive,
            _ => throw new ArgumentOutOfRangeException(nameof(answer), theirs, null),
        };
        return new NegotiationResult
        {
            Media = new NegotiatedMedia(connection.Address, audio.Port, rtcpMux ? audio.Port : audio.RtcpPort ?? audio.Port + 1, rtcpMux, direction, codecs)
            {
                TelephoneEventPayloadType = telephoneEvent?.PayloadType,
                Ptime = audio.Ptime,
            },
        };
    }
}
