using System.Globalization;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>An "a=rtpmap:" value (RFC 8866 §6.6): payload type, encoding name, clock rate, optional channels.</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int? Channels = null)
{
    public static SdpRtpMap Pcmu { get; } = new(0, "PCMU", 8000);

    public static SdpRtpMap Pcma { get; } = new(8, "PCMA", 8000);

    /// <summary>RFC 4733 events at 8 kHz, on the dynamic payload type the switch offers.</summary>
    public static SdpRtpMap TelephoneEvent { get; } = new(101, "telephone-event", 8000);

    public bool IsTelephoneEvent => EncodingName.Equals("telephone-event", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the same codec: encoding names compare case-insensitively (RFC 8866 §6.6), rates exactly.</summary>
    public bool SameCodecAs(SdpRtpMap other) =>
        EncodingName.Equals(other.EncodingName, StringComparison.OrdinalIgnoreCase) && ClockRate == other.ClockRate;

    public string Value => Channels is { } channels
        ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}/{channels}")
        : string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}");

    /// <summary>Reads "PT name/rate[/channels]"; null when it does not have that shape.</summary>
    public static SdpRtpMap? TryParse(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !TryParsePayloadType(value.AsSpan(0, space), out var payloadType))
        {
            return null;
        }

        var parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
        {
            return null;
        }

        int? channels = null;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
            {
                return null;
            }

            channels = count;
        }

        return new SdpRtpMap(payloadType, parts[0], rate, channels);
    }

    /// <summary>The codecs of RFC 3551 §6 that peers may use without an rtpmap line.</summary>
    public static SdpRtpMap? StaticPayloadType(int payloadType) => payloadType switch
    {
        0 => Pcmu,
        8 => Pcma,
        _ => null,
    };

    public static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out payloadType) && payloadType <= 127;
}
