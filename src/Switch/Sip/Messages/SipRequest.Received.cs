using System.Buffers;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Messages;

public sealed partial class SipRequest
{
    /// <summary>
    /// A copy of this request whose top Via records where it really came from, for the responses to copy:
    /// RFC 3261 §18.2.1 adds <c>received</c> when the sent-by host differs from the source address, and RFC 3581 §4 adds it
    /// always and fills in <c>rport</c> when the client asked for it. Returns this same request when nothing changes.
    /// The caller owns (and disposes) both.
    /// </summary>
    public SipRequest WithReceived(ReadOnlySpan<byte> sourceAddress, int sourcePort, SipMessageBuilder? builder = null)
    {
        if (!TryGetHeader(KnownHeader.Via, out var firstLine))
        {
            return this;
        }

        var elements = new SipHeaderValues(firstLine);
        if (!elements.MoveNext() || !ViaHeader.TryParse(elements.Current, out var via)
            || !firstLine.Overlaps(elements.Current, out var elementStart) || !elements.Current.Overlaps(via.Parameters, out var parametersStart))
        {
            return this;
        }

        var element = elements.Current;
        var hostDiffers = !SipGrammar.EqualsIgnoreCase(Unbracketed(via.Host), sourceAddress);
        var fillRport = via.TryGetParameter("rport"u8, out var rport) && rport.IsEmpty;
        if (!hostDiffers && !fillRport)
        {
            return this;
        }

        var output = new ArrayBufferWriter<byte>(firstLine.Length + 64);
        output.Write(firstLine[..(elementStart + (via.Parameters.IsEmpty ? element.Length : parametersStart))]);
        foreach (var parameter in new SipParameters(via.Parameters))
        {
            if (SipGrammar.EqualsIgnoreCase(parameter.Name, "received"u8))
            {
                continue;
            }

            output.Write(";"u8);
            output.Write(parameter.Name);
            if (SipGrammar.EqualsIgnoreCase(parameter.Name, "rport"u8) && fillRport)
            {
                // RFC 3581 §4: the source port of the request.
                output.Write("="u8);
                WriteNumber(output, sourcePort);
            }
            else if (parameter.HasValue)
            {
                output.Write("="u8);
                output.Write(parameter.Value);
            }
        }

        // RFC 3261 §18.2.1 / RFC 3581 §4: received carries the source address (via-received takes IPv6address, no brackets).
        output.Write(";received="u8);
        output.Write(sourceAddress);
        output.Write(firstLine[(elementStart + element.Length)..]);

        return CopyWithFirstVia(output.WrittenSpan, builder ?? new SipMessageBuilder());
    }

    private SipRequest CopyWithFirstVia(ReadOnlySpan<byte> firstVia, SipMessageBuilder builder)
    {
        builder.Reset();
        builder.OnRequestLine(MethodToken, RequestUri);
        var replaced = false;
        for (var i = 0; i < HeaderCount; i++)
        {
            var entry = GetHeaderEntry(i);
            var value = GetHeaderValue(i);
            if (entry.Id == KnownHeader.Via && !replaced)
            {
                value = firstVia;
                replaced = true;
            }

            builder.OnHeader(entry.Id, GetHeaderName(i), value);
        }

        builder.OnBody(Body);
        builder.OnMessageEnd();
        return (SipRequest)builder.TakeMessage()!;
    }

    private static ReadOnlySpan<byte> Unbracketed(ReadOnlySpan<byte> host) =>
        host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;

    private static void WriteNumber(ArrayBufferWriter<byte> output, int value)
    {
        value.TryFormat(output.GetSpan(11), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
    }
}
