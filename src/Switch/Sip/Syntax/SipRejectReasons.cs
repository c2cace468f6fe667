namespace HostedPbx.Switch.Sip.Syntax;

public static class SipRejectReasons
{
    /// <summary>
    /// True when the message boundary itself is unknown: on a stream the connection must be closed
    /// (RFC 3261 §18.3); the parser consumed nothing and no answer can be framed.
    /// </summary>
    public static bool BreaksStreamFraming(this SipRejectReason reason) => reason switch
    {
        SipRejectReason.MessageTooLarge or SipRejectReason.LineTooLong or SipRejectReason.TooManyHeaders
            or SipRejectReason.MissingContentLength or SipRejectReason.InvalidContentLength
            or SipRejectReason.DuplicateContentLength or SipRejectReason.ContentLengthTooLarge
            or SipRejectReason.MissingHeaderTerminator or SipRejectReason.BodyShorterThanContentLength => true,
        _ => false,
    };

    /// <summary>The status code to answer with: 505 for a foreign SIP version (RFC 3261 §21.5.6), 513 when too large (§21.5.7), else 400.</summary>
    public static int GetStatusCode(this SipRejectReason reason) => reason switch
    {
        SipRejectReason.UnsupportedVersion => 505,
        SipRejectReason.MessageTooLarge or SipRejectReason.ContentLengthTooLarge => 513,
        _ => 400,
    };

    /// <summary>The reason phrase put on the status line, so the peer learns what was wrong.</summary>
    public static ReadOnlySpan<byte> GetReasonPhrase(this SipRejectReason reason) => reason switch
    {
        SipRejectReason.None => "Bad Request"u8,
        SipRejectReason.MessageTooLarge => "Message Too Large"u8,
        SipRejectReason.LineTooLong => "Bad Request - Line Too Long"u8,
        SipRejectReason.TooManyHeaders => "Bad Request - Too Many Headers"u8,
        SipRejectReason.MissingContentLength => "Bad Request - Missing Content-Length"u8,
        SipRejectReason.InvalidContentLength => "Bad Request - Invalid Content-Length"u8,
        SipRejectReason.DuplicateContentLength => "Bad Request - Duplicate Content-Length"u8,
        SipRejectReason.ContentLengthTooLarge => "Message Too Large"u8,
        SipRejectReason.BodyShorterThanContentLength => "Bad Request - Body Shorter Than Content-Length"u8,
        SipRejectReason.MissingHeaderTerminator => "Bad Request - Missing Empty Line"u8,
        SipRejectReason.InvalidStartLine => "Bad Request - Invalid Start Line"u8,
        SipRejectReason.InvalidMethod => "Bad Request - Invalid Method"u8,
        SipRejectReason.InvalidRequestUri => "Bad Request - Invalid Request-URI"u8,
        SipRejectReason.RequestUriHeadersNotAllowed => "Bad Request - Headers Not Allowed In Request-URI"u8,
        SipRejectReason.UnsupportedVersion => "Version Not Supported"u8,
        SipRejectReason.InvalidStatusCode => "Bad Request - Invalid Status Code"u8,
        SipRejectReason.InvalidHeaderLine => "Bad Request - Invalid Header Line"u8,
        SipRejectReason.DuplicateHeader => "Bad Request - Duplicate Header"u8,
        SipRejectReason.MissingRequiredHeader => "Bad Request - Missing Required Header"u8,
        SipRejectReason.InvalidVia => "Bad Request - Invalid Via"u8,
        SipRejectReason.InvalidFrom => "Bad Request - Invalid From"u8,
        SipRejectReason.InvalidTo => "Bad Request - Invalid To"u8,
        SipRejectReason.InvalidCallId => "Bad Request - Invalid Call-ID"u8,
        SipRejectReason.InvalidCSeq => "Bad Request - Invalid CSeq"u8,
        SipRejectReason.CSeqMethodMismatch => "Bad Request - CSeq Method Mismatch"u8,
        SipRejectReason.InvalidMaxForwards => "Bad Request - Invalid Max-Forwards"u8,
        SipRejectReason.InvalidContact => "Bad Request - Invalid Contact"u8,
        SipRejectReason.InvalidRoute => "Bad Request - Invalid Route"u8,
        SipRejectReason.InvalidRecordRoute => "Bad Request - Invalid Record-Route"u8,
        SipRejectReason.InvalidExpires => "Bad Request - Invalid Expires"u8,
        _ => "Bad Request"u8,
    };
}
