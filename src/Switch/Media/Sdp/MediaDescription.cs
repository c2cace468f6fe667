using System.Globalization;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>
/// One "m=" section (RFC 8866 §5.14) with its c=, b= and a= lines. Attributes are kept in order as read, unknown ones
/// included, so that what we do not understand survives a round trip; the typed properties read from them.
/// </summary>
public sealed class MediaDescription
{
    public required string Media { get; set; }

    public int Port { get; set; }

    /// <summary>The "/number of ports" suffix of the port, when present.</summary>
    public int? PortCount { get; set; }

    /// <summary>The transport protocol, e.g. RTP/SAVP, RTP/AVP or UDP/TLS/RTP/SAVP.</summary>
    public required string Protocol { get; set; }

    public List<string> Formats { get; init; } = [];

    public SdpConnection? Connection { get; set; }

    /// <summary>"b=" values, e.g. "AS:64"; kept, not interpreted.</summary>
    public List<string> Bandwidths { get; init; } = [];

    public List<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>Lines of other types (i=, k=) kept as "x=value".</summary>
    public List<string> OtherLines { get; init; } = [];

    public bool IsAudio => Media.Equals("audio", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the SDES-keyed profiles: RTP/SAVP and RTP/SAVPF (RFC 3711 §12, RFC 5124).</summary>
    public bool IsSecureRtp => Protocol.Equals("RTP/SAVP", StringComparison.OrdinalIgnoreCase)
        || Protocol.Equals("RTP/SAVPF", StringComparison.OrdinalIgnoreCase);

    /// <summary>The direction attribute of this section; null when it has none (the session's then applies).</summary>
    public MediaDirection? Direction
    {
        get
        {
            foreach (var attribute in Attributes)
            {
                if (attribute.Value is null && TryParseDirection(attribute.Name, out var direction))
                {
                    return direction;
                }
            }

            return null;
        }
    }

    /// <summary>RFC 5761 §5.1.1: a=rtcp-mux.</summary>
    public bool RtcpMux => Attributes.Exists(attribute => attribute.Name.Equals("rtcp-mux", StringComparison.OrdinalIgnoreCase));

    /// <summary>RFC 3605: the port of "a=rtcp:port [IN IP4 address]", when present and well formed.</summary>
    public int? RtcpPort
    {
        get
        {
            var value = Find("rtcp");
            var end = value?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
            var port = end < 0 ? value : value![..end];
            return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535 ? number : null;
        }
    }

    /// <summary>The packet time in milliseconds (RFC 8866 §6.4), when present and well formed.</summary>
    public int? Ptime => int.TryParse(Find("ptime"), NumberStyles.None, CultureInfo.InvariantCulture, out var ptime) ? ptime : null;

    /// <summary>The raw values of the a=crypto lines (RFC 4568 §9.1), in order.</summary>
    public IEnumerable<string> CryptoValues => Values("crypto");

    /// <summary>The rtpmap of a format: its a=rtpmap line, or the static assignment of RFC 3551 when it has none.</summary>
    public SdpRtpMap? RtpMapOf(int payloadType)
    {
        foreach (var value in Values("rtpmap"))
        {
            if (SdpRtpMap.TryParse(value) is { } map && map.PayloadType == payloadType)
            {
                return map;
            }
        }

        return SdpRtpMap.StaticPayloadType(payloadType);
    }

    /// <summary>The format parameters of a payload type, without the "PT " prefix.</summary>
    public string? FmtpOf(int payloadType)
    {
        var prefix = payloadType.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (var value in Values("fmtp"))
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return value[prefix.Length..].Trim();
            }
        }

        return null;
    }

    public string? Find(string name)
    {
        foreach (var value in Values(name))
        {
            return value;
        }

        return null;
    }

    public IEnumerable<string> Values(string name)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Value is not null && attribute.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                yield return attribute.Value;
            }
        }
    }

    public static bool TryParseDirection(string name, out MediaDirection direction)
    {
        direction = name.ToLowerInvariant() switch
        {
            "sendrecv" => MediaDirection.SendRecv,
            "sendonly" => MediaDirection.SendOnly,
            "recvonly" => MediaDirection.RecvOnly,
            "inactive" => MediaDirection.Inactive,
            _ => (MediaDirection)(-1),
        };
        return Enum.IsDefined(direction);
    }

    public static string DirectionName(MediaDirection direction) => direction switch
    {
        MediaDirection.SendRecv => "sendrecv",
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };
}
