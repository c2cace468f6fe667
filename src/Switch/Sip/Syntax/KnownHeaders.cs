using System.Text;

namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Maps header names (full and compact forms, any case) to <see cref="KnownHeader"/> and back.</summary>
public static class KnownHeaders
{
    /// <summary>Looks a header name up; RFC 3261 §7.3.1: field names are case-insensitive.</summary>
    public static KnownHeader Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            // RFC 3261 §7.3.3 and §20: compact forms (plus RFC 3265 o, RFC 3515 r, RFC 3892 b, RFC 4028 x, RFC 3265 u).
            return (name[0] | 0x20) switch
            {
                'i' => KnownHeader.CallId,
                'm' => KnownHeader.Contact,
                'e' => KnownHeader.ContentEncoding,
                'l' => KnownHeader.ContentLength,
                'c' => KnownHeader.ContentType,
                'f' => KnownHeader.From,
                's' => KnownHeader.Subject,
                'k' => KnownHeader.Supported,
                't' => KnownHeader.To,
                'v' => KnownHeader.Via,
                'o' => KnownHeader.Event,
                'u' => KnownHeader.AllowEvents,
                'r' => KnownHeader.ReferTo,
                'b' => KnownHeader.ReferredBy,
                'x' => KnownHeader.SessionExpires,
                _ => KnownHeader.Unknown,
            };
        }

        foreach (var (id, full) in s_fullNames)
        {
            if (name.Length == full.Length && Ascii.EqualsIgnoreCase(name, full))
            {
                return id;
            }
        }

        return KnownHeader.Unknown;
    }

    /// <summary>The canonical (full) name used when writing a header.</summary>
    public static ReadOnlySpan<byte> GetName(KnownHeader header) => header switch
    {
        KnownHeader.Accept => "Accept"u8,
        KnownHeader.AcceptEncoding => "Accept-Encoding"u8,
        KnownHeader.Allow => "Allow"u8,
        KnownHeader.Authorization => "Authorization"u8,
        KnownHeader.CallId => "Call-ID"u8,
        KnownHeader.Contact => "Contact"u8,
        KnownHeader.ContentEncoding => "Content-Encoding"u8,
        KnownHeader.ContentLength => "Content-Length"u8,
        KnownHeader.ContentType => "Content-Type"u8,
        KnownHeader.CSeq => "CSeq"u8,
        KnownHeader.Event => "Event"u8,
        KnownHeader.Expires => "Expires"u8,
        KnownHeader.From => "From"u8,
        KnownHeader.MaxForwards => "Max-Forwards"u8,
        KnownHeader.MinExpires => "Min-Expires"u8,
        KnownHeader.ProxyAuthenticate => "Proxy-Authenticate"u8,
        KnownHeader.ProxyAuthorization => "Proxy-Authorization"u8,
        KnownHeader.ProxyRequire => "Proxy-Require"u8,
        KnownHeader.RecordRoute => "Record-Route"u8,
        KnownHeader.ReferTo => "Refer-To"u8,
        KnownHeader.ReferredBy => "Referred-By"u8,
        KnownHeader.Require => "Require"u8,
        KnownHeader.RetryAfter => "Retry-After"u8,
        KnownHeader.Route => "Route"u8,
        KnownHeader.Server => "Server"u8,
        KnownHeader.Subject => "Subject"u8,
        KnownHeader.Supported => "Supported"u8,
        KnownHeader.To => "To"u8,
        KnownHeader.Unsupported => "Unsupported"u8,
        KnownHeader.UserAgent => "User-Agent"u8,
        KnownHeader.Via => "Via"u8,
        KnownHeader.WwwAuthenticate => "WWW-Authenticate"u8,
        KnownHeader.AllowEvents => "Allow-Events"u8,
        KnownHeader.SessionExpires => "Session-Expires"u8,
        KnownHeader.Unknown => [],
        _ => [],
    };

    /// <summary>RFC 3261 §7.3.1: these headers may appear once only; a second one makes the message invalid.</summary>
    public static bool IsSingleValued(KnownHeader header) => header switch
    {
        KnownHeader.CallId or KnownHeader.ContentLength or KnownHeader.ContentType or KnownHeader.CSeq
            or KnownHeader.Expires or KnownHeader.From or KnownHeader.MaxForwards or KnownHeader.To
            or KnownHeader.MinExpires => true,
        _ => false,
    };

    private static readonly (KnownHeader Id, byte[] Name)[] s_fullNames = BuildNames();

    private static (KnownHeader, byte[])[] BuildNames()
    {
        var values = Enum.GetValues<KnownHeader>();
        var names = new List<(KnownHeader, byte[])>(values.Length);
        foreach (var value in values)
        {
            if (value != KnownHeader.Unknown)
            {
                names.Add((value, GetName(value).ToArray()));
            }
        }

        return [.. names];
    }
}
