namespace HostedPbx.Switch.Sip.Syntax;

public sealed partial class SipParser
{
    /// <summary>
    /// For a request whose end cannot be framed (RFC 3261 §18.3): reports its request line and the complete, well-formed
    /// header lines that arrived before the header block ended or broke (an over-long line is skipped, never copied), with
    /// no body, so the request can be answered 400 or 513 before the connection closes. Returns false for a response or an
    /// unreadable request line: there is nobody to answer.
    /// </summary>
    public static bool TryReportHead(ReadOnlySpan<byte> data, ISipMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        // RFC 3261 §7.5: CRLFs before a start line are ignored.
        var start = data.IndexOfAnyExcept((byte)'\r', (byte)'\n');
        if (start < 0)
        {
            return false;
        }

        var message = data[start..];
        var startLineLength = message.IndexOf(Crlf);
        if (startLineLength <= 0 || startLineLength > MaxLineLength)
        {
            return false;
        }

        // Request-Line = Method SP Request-URI SP SIP-Version CRLF; only the method and URI are needed to answer.
        var startLine = message[..startLineLength];
        var firstSpace = startLine.IndexOf((byte)' ');
        var lastSpace = startLine.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace || SipGrammar.EqualsIgnoreCase(startLine[..Math.Min(4, startLine.Length)], "SIP/"u8)
            || !SipGrammar.IsToken(startLine[..firstSpace]))
        {
            return false;
        }

        handler.OnMessageBegin(message.Length);
        handler.OnRequestLine(startLine[..firstSpace], startLine[(firstSpace + 1)..lastSpace]);
        var position = startLineLength + 2;
        var count = 0;
        while (position < message.Length && count < MaxHeaderCount)
        {
            var lineLength = message[position..].IndexOf(Crlf);
            if (lineLength <= 0)
            {
                // The empty line ends the header block; a line without its CRLF never arrived whole.
                break;
            }

            var line = message.Slice(position, lineLength);
            position += lineLength + 2;
            var colon = line.IndexOf((byte)':');
            if (lineLength > MaxLineLength || line[0] is (byte)' ' or (byte)'\t' || colon <= 0)
            {
                continue;
            }

            var name = SipGrammar.TrimLws(line[..colon]);
            if (SipGrammar.IsToken(name))
            {
                handler.OnHeader(KnownHeaders.Lookup(name), name, SipGrammar.TrimLws(line[(colon + 1)..]));
                count++;
            }
        }

        handler.OnBody([]);
        handler.OnMessageEnd();
        return true;
    }
}
