using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace HostedPbx.Switch.Media.Sdp;

/// <summary>
/// Reads the subset of RFC 8866 that SIP offers and answers use. Input comes from peers: it never throws, it reports
/// the first problem as a reason (which becomes the 488 or 400 reason text). Lines may end in CRLF or LF.
/// </summary>
public static class SdpReader
{
    public const int MaxLength = 64 * 1024;
    private const int MaxMediaSections = 32;

    public static bool TryRead(ReadOnlySpan<byte> body, [NotNullWhen(true)] out SessionDescription? description, [NotNullWhen(false)] out string? error)
    {
        if (body.Length > MaxLength)
        {
            description = null;
            error = "SDP body is too large";
            return false;
        }

        // RFC 8866 §5: text is UTF-8; malformed sequences become U+FFFD rather than an exception.
        return TryRead(Encoding.UTF8.GetString(body), out description, out error);
    }

    public static bool TryRead(string text, [NotNullWhen(true)] out SessionDescription? description, [NotNullWhen(false)] out string? error)
    {
        description = null;
        error = text.Length > MaxLength ? "SDP body is too large" : Read(text, out description);
        return error is null;
    }

    // session-description = version-field origin-field session-name-field [information-field] [uri-field]
    //     *email-field *phone-field [connection-field] *bandwidth-field 1*time-description [key-field]
    //     *attribute-field *media-description                                                   (RFC 8866 §9)
    private static string? Read(string text, out SessionDescription? description)
    {
        description = null;
        SdpOrigin? origin = null;
        var session = new SessionDescription { Origin = new SdpOrigin("-", "0", "0", "IN", "IP4", "0.0.0.0") };
        MediaDescription? media = null;
        var lineNumber = 0;
        var lines = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                return $"line {lineNumber} is not <type>=<value>";
            }

            var type = line[0];
            var value = line[2..];
            var isFirstLine = ++lines == 1;
            if (isFirstLine != (type == 'v'))
            {
                return "SDP must start with v=";
            }

            var problem = type switch
            {
                'v' => value.Trim() == "0" ? null : "unsupported SDP version",
                'o' => ReadOrigin(value, out origin),
                'm' => ReadMedia(value, session, out media),
                'c' when ReadConnection(value) is { } connection => SetConnection(session, media, connection),
                'c' => "malformed c= line",
                'b' => Add(media?.Bandwidths ?? session.Bandwidths, value),
                'a' => Add(media?.Attributes ?? session.Attributes, SdpAttribute.Parse(value)),
                's' when media is null => Set(() => session.SessionName = value),
                't' when media is null => Set(() => session.Timing = value),
                _ => Add(media?.OtherLines ?? session.OtherLines, line),
            };
            if (problem is not null)
            {
                return $"line {lineNumber}: {problem}";
            }
        }

        if (lines == 0)
        {
            return "SDP is empty";
        }

        if (origin is null)
        {
            return "SDP has no o= line";
        }

        session.Origin = origin;
        description = session;
        return null;
    }

    // origin-field = %s"o" "=" username SP sess-id SP sess-version SP nettype SP addrtype SP unicast-address CRLF
    private static string? ReadOrigin(string value, out SdpOrigin? origin)
    {
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        origin = fields.Length == 6 ? new SdpOrigin(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]) : null;
        return origin is null ? "o= needs 6 fields" : null;
    }

    // connection-field = %s"c" "=" nettype SP addrtype SP connection-address CRLF
    private static SdpConnection? ReadConnection(string value)
    {
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 3 ? new SdpConnection(fields[0], fields[1], fields[2]) : null;
    }

    // media-field = %s"m" "=" media SP port ["/" integer] SP proto 1*(SP fmt) CRLF
    private static string? ReadMedia(string value, SessionDescription session, out MediaDescription? media)
    {
        media = null;
        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            return "m= needs media, port and protocol";
        }

        if (session.Media.Count == MaxMediaSections)
        {
            return "too many m= sections";
        }

        var portText = fields[1];
        int? portCount = null;
        var slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!int.TryParse(portText.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return "malformed port count";
            }

            portCount = count;
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return "malformed port";
        }

        media = new MediaDescription { Media = fields[0], Port = port, PortCount = portCount, Protocol = fields[2], Formats = [.. fields[3..]] };
        session.Media.Add(media);
        return null;
    }

    private static string? SetConnection(SessionDescription session, MediaDescription? media, SdpConnection connection)
    {
        if (media is null)
        {
            session.Connection = connection;
        }
        else
        {
            media.Connection = connection;
        }

        return null;
    }

    private static string? Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return null;
    }

    private static string? Set(Action assign)
    {
        assign();
        return null;
    }
}
