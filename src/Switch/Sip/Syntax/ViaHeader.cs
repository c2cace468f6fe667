namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// One Via element (after comma splitting); a view over the message buffer (RFC 3261 §20.42).
/// via-parm = sent-protocol LWS sent-by *( SEMI via-params )
/// sent-protocol = protocol-name SLASH protocol-version SLASH transport; SLASH = SWS "/" SWS
/// sent-by = host [ COLON port ]
/// </summary>
public readonly ref struct ViaHeader
{
    /// <summary>RFC 3261 §8.1.1.7: a branch starting with this cookie was built by an RFC 3261 element.</summary>
    public static ReadOnlySpan<byte> MagicCookie => "z9hG4bK"u8;

    public ReadOnlySpan<byte> ProtocolName { get; init; }

    public ReadOnlySpan<byte> ProtocolVersion { get; init; }

    public ReadOnlySpan<byte> Transport { get; init; }

    public ReadOnlySpan<byte> Host { get; init; }

    /// <summary>The sent-by port, or -1 when absent.</summary>
    public int Port { get; init; }

    /// <summary>The via-params including the leading ';', or empty.</summary>
    public ReadOnlySpan<byte> Parameters { get; init; }

    public ReadOnlySpan<byte> Branch => TryGetParameter("branch"u8, out var value) ? value : default;

    public ReadOnlySpan<byte> Received => TryGetParameter("received"u8, out var value) ? value : default;

    /// <summary>RFC 3581: the client asks for the source port in an <c>rport</c> parameter.</summary>
    public bool HasRport => TryGetParameter("rport"u8, out _);

    /// <summary>RFC 3261 §17.2.3: only branches starting with the magic cookie are globally unique.</summary>
    public bool HasRfc3261Branch
    {
        get
        {
            var branch = Branch;
            return branch.Length > MagicCookie.Length && branch.StartsWith(MagicCookie);
        }
    }

    public bool TryGetParameter(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SipParameters.TryGet(Parameters, name, out value);

    public static bool TryParse(ReadOnlySpan<byte> value, out ViaHeader via)
    {
        via = default;
        var rest = SipGrammar.TrimLws(value);
        var name = rest[..TokenLength(rest)];
        rest = rest[name.Length..];
        if (name.IsEmpty || !TrySkipSlash(ref rest))
        {
            return false;
        }

        var version = rest[..TokenLength(rest)];
        rest = rest[version.Length..];
        if (version.IsEmpty || !TrySkipSlash(ref rest))
        {
            return false;
        }

        var transport = rest[..TokenLength(rest)];
        rest = rest[transport.Length..];
        if (transport.IsEmpty)
        {
            return false;
        }

        // LWS between sent-protocol and sent-by is mandatory.
        if (rest.IsEmpty || !SipGrammar.IsLws(rest[0]))
        {
            return false;
        }

        rest = SipGrammar.TrimStartLws(rest);
        int hostEnd;
        if (!rest.IsEmpty && rest[0] == '[')
        {
            hostEnd = rest.IndexOf((byte)']') + 1;
            if (hostEnd <= 0)
            {
                return false;
            }
        }
        else
        {
            hostEnd = 0;
            while (hostEnd < rest.Length && rest[hostEnd] is not ((byte)':' or (byte)';') && !SipGrammar.IsLws(rest[hostEnd]))
            {
                hostEnd++;
            }
        }

        var host = rest[..hostEnd];
        if (!SipHost.TryClassify(host, out _))
        {
            return false;
        }

        rest = SipGrammar.TrimStartLws(rest[hostEnd..]);
        var port = -1;
        if (!rest.IsEmpty && rest[0] == ':')
        {
            rest = SipGrammar.TrimStartLws(rest[1..]);
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit((char)rest[digits]))
            {
                digits++;
            }

            if (!SipGrammar.TryParseDigits(rest[..digits], 65535, out var parsedPort))
            {
                return false;
            }

            port = (int)parsedPort;
            rest = SipGrammar.TrimStartLws(rest[digits..]);
        }

        if (!rest.IsEmpty && (rest[0] != ';' || !SipParameters.IsValid(rest)))
        {
            return false;
        }

        via = new ViaHeader
        {
            ProtocolName = name,
            ProtocolVersion = version,
            Transport = transport,
            Host = host,
            Port = port,
            Parameters = rest,
        };
        return true;
    }

    private static int TokenLength(ReadOnlySpan<byte> rest)
    {
        var length = 0;
        while (length < rest.Length && SipGrammar.IsTokenChar(rest[length]))
        {
            length++;
        }

        return length;
    }

    private static bool TrySkipSlash(ref ReadOnlySpan<byte> rest)
    {
        rest = SipGrammar.TrimStartLws(rest);
        if (rest.IsEmpty || rest[0] != '/')
        {
            return false;
        }

        rest = SipGrammar.TrimStartLws(rest[1..]);
        return true;
    }
}
