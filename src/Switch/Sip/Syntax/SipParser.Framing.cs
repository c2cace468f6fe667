using System.Buffers;

namespace HostedPbx.Switch.Sip.Syntax;

public sealed partial class SipParser
{
    // message-header = field-name HCOLON field-value CRLF; HCOLON = *( SP / HTAB ) ":" SWS
    // A line starting with SP or HTAB continues the previous header (RFC 3261 §7.3.1).
    private static bool TryIndexHeaders(
        ReadOnlySpan<byte> headerBlock,
        Span<HeaderSlot> slots,
        out int startLineLength,
        out int count,
        out SipRejectReason error)
    {
        count = 0;
        error = SipRejectReason.None;
        startLineLength = headerBlock.IndexOf(Crlf);
        if (startLineLength > MaxLineLength)
        {
            error = SipRejectReason.LineTooLong;
            return false;
        }

        var position = startLineLength + 2;
        while (position < headerBlock.Length)
        {
            var lineEnd = position + headerBlock[position..].IndexOf(Crlf);
            var line = headerBlock[position..lineEnd];
            if (line.Length > MaxLineLength)
            {
                error = SipRejectReason.LineTooLong;
                return false;
            }

            if (line[0] is (byte)' ' or (byte)'\t' && count > 0)
            {
                ref var previous = ref slots[count - 1];
                if (!previous.IsMalformed)
                {
                    previous.ValueLength = lineEnd - previous.ValueStart;
                }
            }
            else
            {
                if (count == MaxHeaderCount)
                {
                    error = SipRejectReason.TooManyHeaders;
                    return false;
                }

                slots[count++] = IndexLine(line, position, lineEnd);
            }

            position = lineEnd + 2;
        }

        return true;
    }

    private static HeaderSlot IndexLine(ReadOnlySpan<byte> line, int position, int lineEnd)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t')
        {
            return new HeaderSlot { NameStart = position, NameLength = line.Length, IsMalformed = true };
        }

        var nameLength = colon;
        while (nameLength > 0 && line[nameLength - 1] is (byte)' ' or (byte)'\t')
        {
            nameLength--;
        }

        var valueStart = position + colon + 1;
        return new HeaderSlot
        {
            NameStart = position,
            NameLength = nameLength,
            ValueStart = valueStart,
            ValueLength = lineEnd - valueStart,
            Id = KnownHeaders.Lookup(line[..nameLength]),
        };
    }

    // RFC 3261 §18.3: on a stream Content-Length is mandatory and ends the message; on a datagram the packet ends it.
    private OperationStatus FrameBody(
        ReadOnlySpan<byte> message,
        ReadOnlySpan<HeaderSlot> slots,
        int bodyStart,
        out int bodyLength,
        out SipRejectReason error)
    {
        error = SipRejectReason.None;
        var available = message.Length - bodyStart;
        bodyLength = Framing == SipFraming.Datagram ? available : 0;

        var found = 0;
        ReadOnlySpan<byte> value = default;
        foreach (var slot in slots)
        {
            if (slot.Id == KnownHeader.ContentLength && !slot.IsMalformed)
            {
                found++;
                value = SipGrammar.TrimLws(message.Slice(slot.ValueStart, slot.ValueLength));
            }
        }

        if (found == 0)
        {
            if (Framing == SipFraming.Datagram)
            {
                return OperationStatus.Done;
            }

            error = SipRejectReason.MissingContentLength;
            return OperationStatus.InvalidData;
        }

        if (found > 1)
        {
            // RFC 4475 §3.3.9: two Content-Lengths leave the boundary unknown.
            error = SipRejectReason.DuplicateContentLength;
            return OperationStatus.InvalidData;
        }

        // Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT
        if (!SipGrammar.TryParseDigits(value, int.MaxValue, out var length))
        {
            error = !value.IsEmpty && value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
                ? SipRejectReason.ContentLengthTooLarge
                : SipRejectReason.InvalidContentLength;
            return OperationStatus.InvalidData;
        }

        if (Framing == SipFraming.Stream && length > (ulong)(MaxMessageSize - bodyStart))
        {
            error = SipRejectReason.ContentLengthTooLarge;
            return OperationStatus.InvalidData;
        }

        if ((ulong)available < length)
        {
            if (Framing == SipFraming.Stream)
            {
                return OperationStatus.NeedMoreData;
            }

            // RFC 3261 §18.3: a datagram shorter than its Content-Length is answered with 400.
            error = SipRejectReason.BodyShorterThanContentLength;
            return OperationStatus.InvalidData;
        }

        bodyLength = (int)length;
        return OperationStatus.Done;
    }
}
