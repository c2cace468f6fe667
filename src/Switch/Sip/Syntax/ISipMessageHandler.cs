namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// Receives the parts of one message from <see cref="SipParser"/>. Spans are only valid during the call.
/// Callbacks come only once the whole message is available: OnMessageBegin, the start line, every header in order,
/// OnBody, OnMessageEnd. A start line that cannot even be split is not reported (no callbacks at all).
/// </summary>
public interface ISipMessageHandler
{
    /// <summary>The message's size on the wire (start line to end of body), so one buffer can be rented.</summary>
    void OnMessageBegin(int length);

    void OnRequestLine(ReadOnlySpan<byte> method, ReadOnlySpan<byte> requestUri);

    void OnStatusLine(int statusCode, ReadOnlySpan<byte> reasonPhrase);

    /// <summary>
    /// One header line. <paramref name="value"/> is LWS-trimmed; folded continuation lines stay in it as CRLF + SP/HT,
    /// which RFC 3261 §7.3.1 makes equivalent to one SP.
    /// </summary>
    void OnHeader(KnownHeader header, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    void OnBody(ReadOnlySpan<byte> body);

    void OnMessageEnd();

    /// <summary>An RFC 5626 §4.4.1 keep-alive ping (CRLFCRLF) arrived; the flow owner should answer with a CRLF pong.</summary>
    void OnKeepAlive();
}
