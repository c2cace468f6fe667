using System.Buffers;

namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// Parses SIP messages (RFC 3261 §7) from bytes; does no I/O and never throws on peer input.
/// <list type="bullet">
/// <item><see cref="OperationStatus.Done"/>: a message (or keep-alive) was reported and consumed.</item>
/// <item><see cref="OperationStatus.NeedMoreData"/>: nothing was consumed and nothing reported.</item>
/// <item><see cref="OperationStatus.InvalidData"/>: if the reader advanced, the message was framed, reported in full and
/// consumed, and can be answered (400/505); if it did not advance, the framing is broken and a stream must be closed.</item>
/// </list>
/// </summary>
public sealed partial class SipParser(SipFraming framing)
{
    /// <summary>Largest message accepted, start line to end of body.</summary>
    public const int MaxMessageSize = 64 * 1024;

    public const int MaxHeaderCount = 200;

    public const int MaxLineLength = 8 * 1024;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private static ReadOnlySpan<byte> CrlfCrlf => "\r\n\r\n"u8;

    public SipFraming Framing { get; } = framing;

    public OperationStatus TryParse(ref SequenceReader<byte> reader, ISipMessageHandler handler, out SipRejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(handler);
        reason = SipRejectReason.None;
        var unread = reader.UnreadSequence;
        if (unread.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        if (Framing == SipFraming.Datagram && unread.Length > MaxMessageSize)
        {
            reader.Advance(unread.Length);
            reason = SipRejectReason.MessageTooLarge;
            return OperationStatus.InvalidData;
        }

        // Room for a skipped CRLF in front of a maximal message.
        var window = (int)Math.Min(unread.Length, MaxMessageSize + 2);
        byte[]? rented = null;
        ReadOnlySpan<byte> data;
        if (unread.FirstSpan.Length >= window)
        {
            data = unread.FirstSpan[..window];
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent(window);
            unread.Slice(0, window).CopyTo(rented);
            data = rented.AsSpan(0, window);
        }

        try
        {
            var status = ParseMessage(data, handler, out reason, out var consumed);
            reader.Advance(consumed);
            return status;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private OperationStatus ParseMessage(ReadOnlySpan<byte> data, ISipMessageHandler handler, out SipRejectReason reason, out int consumed)
    {
        reason = SipRejectReason.None;
        consumed = 0;
        var start = 0;
        if (data[0] == '\r')
        {
            if (IsAllCrlf(data) && Framing == SipFraming.Datagram)
            {
                // A datagram of only CRLFs carries no message; it can only be a keep-alive (RFC 5626 §4.4.1 style).
                consumed = data.Length;
                handler.OnKeepAlive();
                return OperationStatus.Done;
            }

            if (data.StartsWith(CrlfCrlf))
            {
                // RFC 5626 §4.4.1: CRLFCRLF on a stream is a ping.
                consumed = CrlfCrlf.Length;
                handler.OnKeepAlive();
                return OperationStatus.Done;
            }

            if (data.Length < CrlfCrlf.Length && CrlfCrlf.StartsWith(data))
            {
                return OperationStatus.NeedMoreData;
            }

            if (data.StartsWith(Crlf))
            {
                // RFC 3261 §7.5: CRLFs before a start line are ignored (the tail of a previous message or a pong).
                start = Crlf.Length;
            }
        }

        var message = data[start..];
        var headerEnd = message.IndexOf(CrlfCrlf);
        if (headerEnd < 0)
        {
            return NoHeaderTerminator(message, data.Length, out reason, out consumed);
        }

        // The header block keeps the CRLF of its last line, so every line ends with CRLF.
        var headerBlock = message[..(headerEnd + 2)];
        var bodyStart = headerEnd + 4;
        Span<HeaderSlot> slots = stackalloc HeaderSlot[MaxHeaderCount];
        if (!TryIndexHeaders(headerBlock, slots, out var startLineLength, out var headerCount, out var framingError))
        {
            return Reject(framingError, data.Length, out reason, out consumed);
        }

        var framingStatus = FrameBody(message, slots[..headerCount], bodyStart, out var bodyLength, out var lengthError);
        if (framingStatus == OperationStatus.NeedMoreData)
        {
            return OperationStatus.NeedMoreData;
        }

        if (framingStatus == OperationStatus.InvalidData && Framing == SipFraming.Stream)
        {
            reason = lengthError;
            return OperationStatus.InvalidData;
        }

        var messageLength = bodyStart + bodyLength;
        consumed = Framing == SipFraming.Datagram ? data.Length : start + messageLength;
        var semanticError = Report(message[..messageLength], startLineLength, slots[..headerCount], bodyStart, handler);
        reason = lengthError != SipRejectReason.None ? lengthError : semanticError;

        return reason == SipRejectReason.None ? OperationStatus.Done : OperationStatus.InvalidData;
    }

    private OperationStatus NoHeaderTerminator(ReadOnlySpan<byte> message, int dataLength, out SipRejectReason reason, out int consumed)
    {
        reason = SipRejectReason.None;
        consumed = 0;
        if (Framing == SipFraming.Datagram)
        {
            reason = SipRejectReason.MissingHeaderTerminator;
            consumed = dataLength;
            return OperationStatus.InvalidData;
        }

        if (message.Length >= MaxMessageSize)
        {
            reason = SipRejectReason.MessageTooLarge;
            return OperationStatus.InvalidData;
        }

        var lastLineStart = message.LastIndexOf(Crlf) + 2;
        if (lastLineStart < 2)
        {
            lastLineStart = 0;
        }

        if (message.Length - lastLineStart > MaxLineLength)
        {
            reason = SipRejectReason.LineTooLong;
            return OperationStatus.InvalidData;
        }

        return OperationStatus.NeedMoreData;
    }

    private OperationStatus Reject(SipRejectReason error, int dataLength, out SipRejectReason reason, out int consumed)
    {
        reason = error;
        consumed = Framing == SipFraming.Datagram ? dataLength : 0;
        return OperationStatus.InvalidData;
    }

    private static bool IsAllCrlf(ReadOnlySpan<byte> data) => data.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0;

    /// <summary>Where a header line's name and value sit inside the message.</summary>
    private struct HeaderSlot
    {
        public int NameStart;
        public int NameLength;
        public int ValueStart;
        public int ValueLength;
        public KnownHeader Id;
        public bool IsMalformed;
    }
}
