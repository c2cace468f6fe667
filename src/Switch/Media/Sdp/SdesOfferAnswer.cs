using System.Globalization;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>
/// SDP offer/answer for SDES-keyed SRTP audio, as the B2BUA does it on each leg (RFC 3264, RFC 4568 §7): answer a
/// peer's offer, make our own offer, and accept the answer to it. Plain RTP, DTLS-SRTP and offers without an allowed
/// suite are not acceptable; the reason is meant for the 488.
/// </summary>
public static partial class SdesOfferAnswer
{
    private const string TelephoneEventDefaultEvents = "0-16";

    /// <summary>The refusal for a media section that is not SDES-keyed SRTP, or null when it is.</summary>
    private static string? ProtocolProblem(MediaDescription media)
    {
        if (media.IsSecureRtp)
        {
            return null;
        }

        if (media.Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase) || media.Protocol.Equals("RTP/AVPF", StringComparison.OrdinalIgnoreCase))
        {
            return "plain RTP (RTP/AVP) is refused: SRTP (RTP/SAVP with a=crypto) is required";
        }

        return media.Protocol.Contains("TLS", StringComparison.OrdinalIgnoreCase)
            ? "DTLS-SRTP is not supported: use RTP/SAVP with a=crypto"
            : $"media protocol {media.Protocol} is not supported";
    }

    /// <summary>The fixed words of the 488 for a media section that is not SDES-keyed SRTP (the protocol itself is not quoted).</summary>
    private static string ProtocolPhrase(MediaDescription media) =>
        media.Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase) || media.Protocol.Equals("RTP/AVPF", StringComparison.OrdinalIgnoreCase)
            ? "plain RTP refused, SRTP required"
            : media.Protocol.Contains("TLS", StringComparison.OrdinalIgnoreCase) ? "DTLS-SRTP not supported, SDES required" : "Media protocol not supported";

    /// <summary>The formats of a media section we can take, in its order: audio codecs and the 8 kHz telephone-event.</summary>
    internal static (List<SdpRtpMap> Codecs, SdpRtpMap? TelephoneEvent) MatchCodecs(MediaDescription media, IReadOnlyList<SdpRtpMap> ours)
    {
        var codecs = new List<SdpRtpMap>();
        SdpRtpMap? telephoneEvent = null;
        foreach (var format in media.Formats)
        {
            if (!SdpRtpMap.TryParsePayloadType(format, out var payloadType) || media.RtpMapOf(payloadType) is not { } map)
            {
                continue;
            }

            if (!ours.Any(codec => codec.SameCodecAs(map)) || codecs.Exists(codec => codec.PayloadType == payloadType))
            {
                continue;
            }

            if (map.IsTelephoneEvent)
            {
                telephoneEvent ??= map;
            }
            else
            {
                codecs.Add(map);
            }
        }

        return (codecs, telephoneEvent);
    }

    /// <summary>The m= section, c= and a= lines the switch writes for its audio stream.</summary>
    internal static MediaDescription OurAudio(
        string protocol, LocalMediaOptions local, IReadOnlyList<SdpRtpMap> codecs, SdpRtpMap? telephoneEvent,
        string? telephoneEventEvents, Func<int, string?> fmtpOf, bool rtcpMux, MediaDirection direction, int? ptime,
        IEnumerable<SdesCryptoAttribute> cryptos)
    {
        var media = new MediaDescription { Media = "audio", Port = local.RtpPort, Protocol = protocol };
        foreach (var codec in telephoneEvent is null ? codecs : [.. codecs, telephoneEvent])
        {
            media.Formats.Add(codec.PayloadType.ToString(CultureInfo.InvariantCulture));
            media.Attributes.Add(new SdpAttribute("rtpmap", codec.Value));
            var fmtp = codec.IsTelephoneEvent ? telephoneEventEvents ?? TelephoneEventDefaultEvents : fmtpOf(codec.PayloadType);
            if (fmtp is not null)
            {
                media.Attributes.Add(new SdpAttribute("fmtp", string.Create(CultureInfo.InvariantCulture, $"{codec.PayloadType} {fmtp}")));
            }
        }

        if (ptime is { } packetTime)
        {
            media.Attributes.Add(new SdpAttribute("ptime", packetTime.ToString(CultureInfo.InvariantCulture)));
        }

        if (rtcpMux)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-mux"));
        }

        if (local.RtcpPort is { } rtcpPort && !rtcpMux)
        {
            media.Attributes.Add(new SdpAttribute("rtcp", rtcpPort.ToString(CultureInfo.InvariantCulture)));
        }

        media.Attributes.Add(new SdpAttribute(MediaDescription.DirectionName(direction)));
        foreach (var crypto in cryptos)
        {
            media.Attributes.Add(new SdpAttribute(SdesCryptoAttribute.Name, crypto.ToString()));
        }

        return media;
    }

    internal static SessionDescription OurSession(LocalMediaOptions local) => new()
    {
        Origin = SdpOrigin.For(local.Address, local.SessionId, local.SessionVersion, local.UserName),
        Connection = SdpConnection.For(local.Address),
    };

    /// <summary>RFC 3264 §6.1: what the other side sends we receive, and the other way round.</summary>
    internal static MediaDirection Reverse(MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => MediaDirection.RecvOnly,
        MediaDirection.RecvOnly => MediaDirection.SendOnly,
        MediaDirection.SendRecv => MediaDirection.SendRecv,
        MediaDirection.Inactive => MediaDirection.Inactive,
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    /// <summary>Only what both allow: sending needs both to allow sending, receiving both to allow receiving.</summary>
    internal static MediaDirection Intersect(MediaDirection first, MediaDirection second)
    {
        var send = Sends(first) && Sends(second);
        var receive = Receives(first) && Receives(second);
        return (send, receive) switch
        {
            (true, true) => MediaDirection.SendRecv,
            (true, false) => MediaDirection.SendOnly,
            (false, true) => MediaDirection.RecvOnly,
            (false, false) => MediaDirection.Inactive,
        };

        static bool Sends(MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.SendOnly;

        static bool Receives(MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;
    }

    /// <summary>RFC 5761 §5.1.3 and RFC 3605: where the peer wants RTCP.</summary>
    internal static int RemoteRtcpPort(MediaDescription media, bool rtcpMux) =>
        rtcpMux ? media.Port : media.RtcpPort ?? media.Port + 1;
}
