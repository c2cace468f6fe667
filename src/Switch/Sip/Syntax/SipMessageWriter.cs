using System.Diagnostics;
using System.Buffers;
using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Formats SIP messages straight into an <see cref="IBufferWriter{T}"/> (RFC 3261 §7).</summary>
public static class SipMessageWriter
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    // Request-Line = Method SP Request-URI SP SIP-Version CRLF
    public static void WriteRequestLine(IBufferWriter<byte> output, ReadOnlySpan<byte> method, ReadOnlySpan<byte> requestUri)
    {
        Write(output, method);
        Write(output, " "u8);
        Write(output, requestUri);
        Write(output, " SIP/2.0\r\n"u8);
    }

    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
    public static void WriteStatusLine(IBufferWriter<byte> output, int statusCode, ReadOnlySpan<byte> reasonPhrase)
    {
        Write(output, "SIP/2.0 "u8);
        WriteNumber(output, statusCode);
        Write(output, " "u8);
        Write(output, reasonPhrase);
        Write(output, Crlf);
    }

    public static void WriteHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Write(output, name);
        Write(output, ": "u8);
        Write(output, value);
        Write(output, Crlf);
    }

    public static void WriteHeader(IBufferWriter<byte> output, KnownHeader header, ReadOnlySpan<byte> value) =>
        WriteHeader(output, KnownHeaders.GetName(header), value);

    /// <summary>Writes Content-Length (always, RFC 3261 §18.3 / §20.14), the empty line and the body.</summary>
    public static void WriteBody(IBufferWriter<byte> output, ReadOnlySpan<byte> body)
    {
        Write(output, "Content-Length: "u8);
        WriteNumber(output, body.Length);
        Write(output, "\r\n\r\n"u8);
        Write(output, body);
    }

    /// <summary>Writes a whole message. Known headers get their full names; Content-Length is recomputed from the body.</summary>
    public static void Write(IBufferWriter<byte> output, SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case SipRequest request:
                WriteRequestLine(output, request.MethodToken, request.RequestUri);
                break;
            case SipResponse response:
                WriteStatusLine(output, response.StatusCode, response.ReasonPhrase);
                break;
            default:
                throw new UnreachableException();
        }

        for (var i = 0; i < message.HeaderCount; i++)
        {
            var entry = message.GetHeaderEntry(i);
            if (entry.Id == KnownHeader.ContentLength)
            {
                continue;
            }

            var name = entry.Id == KnownHeader.Unknown ? message.GetHeaderName(i) : KnownHeaders.GetName(entry.Id);
            WriteHeader(output, name, message.GetHeaderValue(i));
        }

        WriteBody(output, message.Body);
    }

    /// <summary>RFC 5626 §4.4.1: the pong that answers a CRLFCRLF keep-alive ping on a stream is a single CRLF.</summary>
    public static void WriteKeepAlivePong(IBufferWriter<byte> output) => Write(output, Crlf);

    internal static bool NeedsTag(ReadOnlySpan<byte> toValue, ReadOnlySpan<byte> toTag) =>
        !toTag.IsEmpty && NameAddress.TryParse(toValue, out var to) && to.Tag.IsEmpty;

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        var ok = value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Debug.Assert(ok, "20 bytes hold any long");
        output.Advance(written);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty)
        {
            value.CopyTo(output.GetSpan(value.Length));
            output.Advance(value.Length);
        }
    }
}
