namespace HostedPbx.Switch.Sip.Syntax;

public sealed partial class SipParser
{
    private const ulong RequiredHeaders =
        (1UL << (int)KnownHeader.Via) | (1UL << (int)KnownHeader.From) | (1UL << (int)KnownHeader.To)
        | (1UL << (int)KnownHeader.CallId) | (1UL << (int)KnownHeader.CSeq);

    private static ReadOnlySpan<byte> SipVersion => "SIP/2.0"u8;

    /// <summary>Reports a framed message to the handler and returns the first semantic error found, if any.</summary>
    private static SipRejectReason Report(
        ReadOnlySpan<byte> message,
        int startLineLength,
        ReadOnlySpan<HeaderSlot> slots,
        int bodyStart,
        ISipMessageHandler handler)
    {
        var startLine = message[..startLineLength];
        var error = SipRejectReason.None;
        ReadOnlySpan<byte> method = default;
        var isResponse = startLine.Length >= 4 && SipGrammar.EqualsIgnoreCase(startLine[..4], "SIP/"u8);
        if (isResponse)
        {
            var statusError = TryParseStatusLine(startLine, out var statusCode, out var reasonPhrase);
            if (statusError != SipRejectReason.None)
            {
                // RFC 4475 §3.1.2.19: a malformed response is discarded; there is nobody to answer.
                return statusError;
            }

            handler.OnMessageBegin(message.Length);
            handler.OnStatusLine(statusCode, reasonPhrase);
        }
        else
        {
            // Request-Line = Method SP Request-URI SP SIP-Version CRLF
            var firstSpace = startLine.IndexOf((byte)' ');
            var lastSpace = startLine.LastIndexOf((byte)' ');
            if (firstSpace <= 0 || lastSpace == firstSpace)
            {
                return SipRejectReason.InvalidStartLine;
            }

            method = startLine[..firstSpace];
            var requestUri = startLine[(firstSpace + 1)..lastSpace];
            Note(ref error, CheckVersion(startLine[(lastSpace + 1)..]));
            Note(ref error, SipGrammar.IsToken(method) ? SipRejectReason.None : SipRejectReason.InvalidMethod);
            Note(ref error, CheckRequestUri(requestUri));
            handler.OnMessageBegin(message.Length);
            handler.OnRequestLine(method, requestUri);
        }

        var seen = 0UL;
        foreach (var slot in slots)
        {
            if (slot.IsMalformed)
            {
                Note(ref error, SipRejectReason.InvalidHeaderLine);
                continue;
            }

            var name = message.Slice(slot.NameStart, slot.NameLength);
            var value = SipGrammar.TrimLws(message.Slice(slot.ValueStart, slot.ValueLength));
            if (!SipGrammar.IsToken(name))
            {
                Note(ref error, SipRejectReason.InvalidHeaderLine);
                continue;
            }

            handler.OnHeader(slot.Id, name, value);
            if (slot.Id == KnownHeader.Unknown)
            {
                continue;
            }

            var bit = 1UL << (int)slot.Id;
            if ((seen & bit) != 0 && KnownHeaders.IsSingleValued(slot.Id))
            {
                // RFC 4475 §3.3.8: a second Call-ID, CSeq, From, To or Max-Forwards makes the request unusable.
                Note(ref error, SipRejectReason.DuplicateHeader);
            }

            seen |= bit;
            Note(ref error, ValidateHeader(slot.Id, value, method, isResponse));
        }

        // RFC 3261 §8.1.1: To, From, CSeq, Call-ID and Via are mandatory (Max-Forwards is added by a proxy, §16.6).
        if ((seen & RequiredHeaders) != RequiredHeaders)
        {
            Note(ref error, SipRejectReason.MissingRequiredHeader);
        }

        handler.OnBody(message[bodyStart..]);
        handler.OnMessageEnd();
        return error;
    }

    private static void Note(ref SipRejectReason first, SipRejectReason next)
    {
        if (first == SipRejectReason.None)
        {
            first = next;
        }
    }

    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF; Status-Code = 3DIGIT
    private static SipRejectReason TryParseStatusLine(ReadOnlySpan<byte> line, out int statusCode, out ReadOnlySpan<byte> reasonPhrase)
    {
        statusCode = 0;
        reasonPhrase = default;
        var space = line.IndexOf((byte)' ');
        if (space < 0)
        {
            return SipRejectReason.InvalidStartLine;
        }

        var versionError = CheckVersion(line[..space]);
        if (versionError != SipRejectReason.None)
        {
            return versionError;
        }

        var rest = line[(space + 1)..];
        if (rest.Length < 3 || (rest.Length > 3 && rest[3] != ' ')
            || !SipGrammar.TryParseDigits(rest[..3], 699, out var code) || code < 100)
        {
            return SipRejectReason.InvalidStatusCode;
        }

        statusCode = (int)code;
        reasonPhrase = rest.Length > 3 ? rest[4..] : default;
        return SipRejectReason.None;
    }

    // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; case-insensitive (RFC 3261 §7.1).
    private static SipRejectReason CheckVersion(ReadOnlySpan<byte> version)
    {
        if (SipGrammar.EqualsIgnoreCase(version, SipVersion))
        {
            return SipRejectReason.None;
        }

        if (version.Length < 4 || !SipGrammar.EqualsIgnoreCase(version[..4], "SIP/"u8))
        {
            return SipRejectReason.InvalidStartLine;
        }

        var numbers = version[4..];
        var dot = numbers.IndexOf((byte)'.');
        return dot > 0 && SipGrammar.TryParseDigits(numbers[..dot], uint.MaxValue, out _)
            && SipGrammar.TryParseDigits(numbers[(dot + 1)..], uint.MaxValue, out _)
            ? SipRejectReason.UnsupportedVersion
            : SipRejectReason.InvalidStartLine;
    }

    // Request-URI = SIP-URI / SIPS-URI / absoluteURI
    private static SipRejectReason CheckRequestUri(ReadOnlySpan<byte> requestUri)
    {
        if (requestUri.IsEmpty || requestUri.IndexOfAny(" \t"u8) >= 0)
        {
            return SipRejectReason.InvalidRequestUri;
        }

        if (SipUri.IsSipScheme(requestUri))
        {
            if (!SipUri.TryParse(requestUri, out var uri))
            {
                return SipRejectReason.InvalidRequestUri;
            }

            // RFC 3261 §19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
            return uri.HasHeaders ? SipRejectReason.RequestUriHeadersNotAllowed : SipRejectReason.None;
        }

        return NameAddress.IsValidUri(requestUri) ? SipRejectReason.None : SipRejectReason.InvalidRequestUri;
    }

    private static SipRejectReason ValidateHeader(KnownHeader id, ReadOnlySpan<byte> value, ReadOnlySpan<byte> method, bool isResponse) => id switch
    {
        KnownHeader.Via => ValidateList(value, SipRejectReason.InvalidVia, static element => ViaHeader.TryParse(element, out _)),
        KnownHeader.From => NameAddress.TryParse(value, out _) ? SipRejectReason.None : SipRejectReason.InvalidFrom,
        KnownHeader.To => NameAddress.TryParse(value, out _) ? SipRejectReason.None : SipRejectReason.InvalidTo,
        KnownHeader.Contact => value.SequenceEqual("*"u8)
            ? SipRejectReason.None
            : ValidateList(value, SipRejectReason.InvalidContact, static element => NameAddress.TryParse(element, out _)),
        KnownHeader.Route => ValidateList(value, SipRejectReason.InvalidRoute, IsRouteEntry),
        KnownHeader.RecordRoute => ValidateList(value, SipRejectReason.InvalidRecordRoute, IsRouteEntry),
        KnownHeader.CallId => IsCallId(value) ? SipRejectReason.None : SipRejectReason.InvalidCallId,
        KnownHeader.CSeq => ValidateCSeq(value, method, isResponse),
        KnownHeader.MaxForwards => SipGrammar.TryParseDigits(value, 255, out _) ? SipRejectReason.None : SipRejectReason.InvalidMaxForwards,
        KnownHeader.Expires => SipGrammar.TryParseDigits(value, uint.MaxValue, out _) ? SipRejectReason.None : SipRejectReason.InvalidExpires,
        _ => SipRejectReason.None,
    };

    private static SipRejectReason ValidateCSeq(ReadOnlySpan<byte> value, ReadOnlySpan<byte> method, bool isResponse)
    {
        if (!CSeqHeader.TryParse(value, out var cseq))
        {
            return SipRejectReason.InvalidCSeq;
        }

        // RFC 3261 §8.1.1.5: the CSeq method MUST match the request's method.
        return isResponse || cseq.Method.SequenceEqual(method) ? SipRejectReason.None : SipRejectReason.CSeqMethodMismatch;
    }

    private static bool IsRouteEntry(ReadOnlySpan<byte> element) => NameAddress.TryParse(element, out var address) && address.IsNameAddr;

    private static SipRejectReason ValidateList(ReadOnlySpan<byte> value, SipRejectReason error, ElementCheck check)
    {
        foreach (var element in new SipHeaderValues(value))
        {
            if (element.IsEmpty || !check(element))
            {
                return error;
            }
        }

        return SipRejectReason.None;
    }

    private delegate bool ElementCheck(ReadOnlySpan<byte> element);

    // callid = word [ "@" word ]. Checked liberally: any visible ASCII without LWS, because real user agents put base64
    // ('=' padding) and other non-word characters in Call-IDs, and the value is only ever compared, never interpreted.
    private static bool IsCallId(ReadOnlySpan<byte> value) => !value.IsEmpty && value.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0;
}
