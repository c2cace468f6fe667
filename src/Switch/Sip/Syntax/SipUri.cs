namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// A parsed <c>sip:</c> or <c>sips:</c> URI; a view over the bytes it was parsed from (RFC 3261 §19.1.1).
/// SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
/// userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
/// Components stay %-escaped; use <see cref="TryUnescape"/> to decode them.
/// </summary>
public readonly ref partial struct SipUri
{
    public bool IsSecure { get; init; }

    public ReadOnlySpan<byte> User { get; init; }

    public bool HasUser { get; init; }

    public ReadOnlySpan<byte> Password { get; init; }

    public bool HasPassword { get; init; }

    public ReadOnlySpan<byte> Host { get; init; }

    public SipHostKind HostKind { get; init; }

    /// <summary>The port, or -1 when the URI has none.</summary>
    public int Port { get; init; }

    /// <summary>host [":" port], as written.</summary>
    public ReadOnlySpan<byte> HostPort { get; init; }

    /// <summary>The uri-parameters including the leading ';', or empty.</summary>
    public ReadOnlySpan<byte> Parameters { get; init; }

    /// <summary>The headers after '?', without the '?', or empty.</summary>
    public ReadOnlySpan<byte> Headers { get; init; }

    public bool HasHeaders { get; init; }

    public bool TryGetParameter(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SipParameters.TryGet(Parameters, name, out value, uriForm: true);

    /// <summary>True for a URI with the <c>lr</c> parameter (loose routing, RFC 3261 §19.1.1).</summary>
    public bool IsLooseRouter => TryGetParameter("lr"u8, out _);

    /// <summary>True when <paramref name="uri"/> starts with "sip:" or "sips:" (any case).</summary>
    public static bool IsSipScheme(ReadOnlySpan<byte> uri) =>
        (uri.Length >= 4 && SipGrammar.EqualsIgnoreCase(uri[..4], "sip:"u8))
        || (uri.Length >= 5 && SipGrammar.EqualsIgnoreCase(uri[..5], "sips:"u8));

    public static bool TryParse(ReadOnlySpan<byte> text, out SipUri uri)
    {
        uri = default;
        bool secure;
        if (text.Length >= 4 && SipGrammar.EqualsIgnoreCase(text[..4], "sip:"u8))
        {
            secure = false;
            text = text[4..];
        }
        else if (text.Length >= 5 && SipGrammar.EqualsIgnoreCase(text[..5], "sips:"u8))
        {
            secure = true;
            text = text[5..];
        }
        else
        {
            return false;
        }

        ReadOnlySpan<byte> user = default;
        ReadOnlySpan<byte> password = default;
        var hasUser = false;
        var hasPassword = false;

        // '@' may appear neither in hostport, parameters nor headers unescaped, so the first one ends the userinfo.
        var at = text.IndexOf((byte)'@');
        if (at >= 0)
        {
            var userInfo = text[..at];
            text = text[(at + 1)..];
            var colon = userInfo.IndexOf((byte)':');
            user = colon < 0 ? userInfo : userInfo[..colon];
            hasUser = true;
            if (colon >= 0)
            {
                password = userInfo[(colon + 1)..];
                hasPassword = true;
                if (!SipUriCharacters.IsPassword(password))
                {
                    return false;
                }
            }

            if (user.IsEmpty || !SipUriCharacters.IsUser(user))
            {
                return false;
            }
        }

        int hostEnd;
        if (!text.IsEmpty && text[0] == '[')
        {
            hostEnd = text.IndexOf((byte)']') + 1;
            if (hostEnd <= 0)
            {
                return false;
            }
        }
        else
        {
            hostEnd = text.IndexOfAny(":;?"u8);
            if (hostEnd < 0)
            {
                hostEnd = text.Length;
            }
        }

        var host = text[..hostEnd];
        if (!SipHost.TryClassify(host, out var hostKind))
        {
            return false;
        }

        var rest = text[hostEnd..];
        var port = -1;
        if (!rest.IsEmpty && rest[0] == ':')
        {
            var portEnd = rest.IndexOfAny(";?"u8);
            if (portEnd < 0)
            {
                portEnd = rest.Length;
            }

            if (!SipGrammar.TryParseDigits(rest[1..portEnd], 65535, out var parsedPort))
            {
                return false;
            }

            port = (int)parsedPort;
            rest = rest[portEnd..];
        }

        var hostPort = text[..(text.Length - rest.Length)];
        var question = rest.IndexOf((byte)'?');
        var parameters = question < 0 ? rest : rest[..question];
        var headers = question < 0 ? default : rest[(question + 1)..];
        if (!parameters.IsEmpty && (parameters[0] != ';' || !SipParameters.IsValid(parameters, uriForm: true)))
        {
            return false;
        }

        if (question >= 0 && !IsValidHeaders(headers))
        {
            return false;
        }

        if (!SipUriCharacters.IsValidEscapes(user) || !SipUriCharacters.IsValidEscapes(password)
            || !SipUriCharacters.IsValidEscapes(parameters) || !SipUriCharacters.IsValidEscapes(headers))
        {
            return false;
        }

        uri = new SipUri
        {
            IsSecure = secure,
            User = user,
            HasUser = hasUser,
            Password = password,
            HasPassword = hasPassword,
            Host = host,
            HostKind = hostKind,
            Port = port,
            HostPort = hostPort,
            Parameters = parameters,
            Headers = headers,
            HasHeaders = question >= 0,
        };
        return true;
    }

    /// <summary>Decodes %HH escapes (RFC 3261 §19.1.2). <paramref name="destination"/> must be at least as long as the source.</summary>
    public static bool TryUnescape(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < source.Length)
        {
            return false;
        }

        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '%')
            {
                if (i + 2 >= source.Length || !char.IsAsciiHexDigit((char)source[i + 1]) || !char.IsAsciiHexDigit((char)source[i + 2]))
                {
                    return false;
                }

                c = (byte)((HexValue(source[i + 1]) << 4) | HexValue(source[i + 2]));
                i += 2;
            }

            destination[written++] = c;
        }

        return true;
    }

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // headers = "?" header *( "&" header ); header = hname "=" hvalue
    private static bool IsValidHeaders(ReadOnlySpan<byte> headers)
    {
        foreach (var range in headers.Split((byte)'&'))
        {
            var header = headers[range];
            var equals = header.IndexOf((byte)'=');
            if (equals <= 0 || !SipUriCharacters.IsHeader(header[..equals])
                || !SipUriCharacters.IsHeader(header[(equals + 1)..]))
            {
                return false;
            }
        }

        return true;
    }
}
