using System.Globalization;
using System.Text;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>Writes a session description with CRLF line ends in the line order of RFC 8866 §5.</summary>
public static class SdpWriter
{
    public static string Write(SessionDescription description)
    {
        var text = new StringBuilder(512);
        Line(text, 'v', "0");
        Line(text, 'o', description.Origin.ToString());
        Line(text, 's', description.SessionName.Length == 0 ? "-" : description.SessionName);
        OtherLines(text, description.OtherLines, "iuep", include: true);
        if (description.Connection is { } connection)
        {
            Line(text, 'c', connection.ToString());
        }

        foreach (var bandwidth in description.Bandwidths)
        {
            Line(text, 'b', bandwidth);
        }

        Line(text, 't', description.Timing);
        OtherLines(text, description.OtherLines, "iuep", include: false);
        foreach (var attribute in description.Attributes)
        {
            Line(text, 'a', attribute.ToString());
        }

        foreach (var media in description.Media)
        {
            var port = media.PortCount is { } count
                ? string.Create(CultureInfo.InvariantCulture, $"{media.Port}/{count}")
                : media.Port.ToString(CultureInfo.InvariantCulture);
            Line(text, 'm', $"{media.Media} {port} {media.Protocol}{(media.Formats.Count > 0 ? " " : "")}{string.Join(' ', media.Formats)}");
            OtherLines(text, media.OtherLines, "i", include: true);
            if (media.Connection is { } mediaConnection)
            {
                Line(text, 'c', mediaConnection.ToString());
            }

            foreach (var bandwidth in media.Bandwidths)
            {
                Line(text, 'b', bandwidth);
            }

            OtherLines(text, media.OtherLines, "i", include: false);
            foreach (var attribute in media.Attributes)
            {
                Line(text, 'a', attribute.ToString());
            }
        }

        return text.ToString();
    }

    public static byte[] WriteUtf8(SessionDescription description) => Encoding.UTF8.GetBytes(Write(description));

    private static void Line(StringBuilder text, char type, string value) => text.Append(type).Append('=').Append(value).Append("\r\n");

    /// <summary>Writes the kept lines whose type is (or, with include false, is not) one of <paramref name="types"/>.</summary>
    private static void OtherLines(StringBuilder text, List<string> lines, string types, bool include)
    {
        foreach (var line in lines)
        {
            if (types.Contains(line[0], StringComparison.Ordinal) == include)
            {
                text.Append(line).Append("\r\n");
            }
        }
    }
}
