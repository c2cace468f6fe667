namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// The value of From, To, Contact, Route, Record-Route (one element); a view over the message buffer (RFC 3261 §20.10, §25.1).
/// ( name-addr / addr-spec ) *( SEMI generic-param )
/// name-addr = [ display-name ] LAQUOT addr-spec RAQUOT; display-name = *(token LWS) / quoted-string
/// In the addr-spec form a ';' ends the URI: the parameters belong to the header (RFC 3261 §20, cparam01).
/// </summary>
public readonly ref struct NameAddress
{
    /// <summary>The display name as written: a quoted-string with its quotes, tokens, or empty.</summary>
    public ReadOnlySpan<byte> DisplayName { get; init; }

    public ReadOnlySpan<byte> Uri { get; init; }

    /// <summary>The header parameters including the leading ';', or empty.</summary>
    public ReadOnlySpan<byte> Parameters { get; init; }

    /// <summary>True when the URI was enclosed in &lt;&gt;.</summary>
    public bool IsNameAddr { get; init; }

    public bool TryGetParameter(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SipParameters.TryGet(Parameters, name, out value);

    /// <summary>The <c>tag</c> parameter (RFC 3261 §19.3), or empty.</summary>
    public ReadOnlySpan<byte> Tag => TryGetParameter("tag"u8, out var tag) ? tag : default;

    public static bool TryParse(ReadOnlySpan<byte> value, out NameAddress address)
    {
        address = default;
        value = SipGrammar.TrimLws(value);
        if (value.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<byte> displayName = default;
        ReadOnlySpan<byte> rest;
        if (value[0] == '"')
        {
            var quoteEnd = SipGrammar.FindQuoteEnd(value, 0);
            if (quoteEnd < 0)
            {
                return false;
            }

            displayName = value[..(quoteEnd + 1)];
            rest = SipGrammar.TrimStartLws(value[(quoteEnd + 1)..]);
            if (rest.IsEmpty || rest[0] != '<')
            {
                return false;
            }
        }
        else
        {
            // A '<' after a ';' or '"' sits in a parameter of an addr-spec (e.g. +sip.instance="<urn:...>").
            var angle = value.IndexOfAny("<;\""u8);
            if (angle < 0 || value[angle] != '<')
            {
                return TryParseAddrSpec(value, out address);
            }

            displayName = SipGrammar.TrimLws(value[..angle]);
            if (!IsTokenList(displayName))
            {
                return false;
            }

            rest = value[angle..];
        }

        var close = rest.IndexOf((byte)'>');
        if (close < 0)
        {
            return false;
        }

        var uri = rest[1..close];
        if (!IsValidUri(uri))
        {
            return false;
        }

        var parameters = SipGrammar.TrimLws(rest[(close + 1)..]);
        if (!SipParameters.IsValid(parameters))
        {
            return false;
        }

        address = new NameAddress { DisplayName = displayName, Uri = uri, Parameters = parameters, IsNameAddr = true };
        return true;
    }

    private static bool TryParseAddrSpec(ReadOnlySpan<byte> value, out NameAddress address)
    {
        address = default;
        var semicolon = value.IndexOf((byte)';');
        var uri = SipGrammar.TrimLws(semicolon < 0 ? value : value[..semicolon]);
        var parameters = semicolon < 0 ? default : value[semicolon..];

        // RFC 3261 §20: without <>, a URI containing a comma, question mark or semicolon is not allowed (RFC 4475 §3.1.2.13).
        if (uri.IndexOfAny(",?"u8) >= 0 || !IsValidUri(uri) || !SipParameters.IsValid(parameters))
        {
            return false;
        }

        address = new NameAddress { Uri = uri, Parameters = parameters, IsNameAddr = false };
        return true;
    }

    /// <summary>absoluteURI = scheme ":" ...; sip and sips URIs must parse fully, other schemes only need a scheme and no LWS.</summary>
    public static bool IsValidUri(ReadOnlySpan<byte> uri)
    {
        if (SipUri.IsSipScheme(uri))
        {
            return SipUri.TryParse(uri, out _);
        }

        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        var colon = uri.IndexOf((byte)':');
        if (colon <= 0 || colon == uri.Length - 1 || !char.IsAsciiLetter((char)uri[0]))
        {
            return false;
        }

        foreach (var c in uri[..colon])
        {
            if (!char.IsAsciiLetterOrDigit((char)c) && c is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        foreach (var c in uri[(colon + 1)..])
        {
            if (c <= ' ' || c is (byte)'<' or (byte)'>' or (byte)'"' or 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTokenList(ReadOnlySpan<byte> displayName)
    {
        foreach (var c in displayName)
        {
            if (!SipGrammar.IsTokenChar(c) && !SipGrammar.IsLws(c))
            {
                return false;
            }
        }

        return true;
    }
}
