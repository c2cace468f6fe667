using System.Buffers;
using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.LoadTool.Sip;

/// <summary>Formats the handsets' requests and responses with the switch's own <see cref="SipMessageWriter"/>.</summary>
internal static class SipText
{
    public static byte[] Request(
        string method, string requestUri, string sentBy, string from, string to, string callId, uint cseq, string? contact,
        ReadOnlySpan<byte> body = default, string? contentType = null, string? expires = null)
    {
        var output = new ArrayBufferWriter<byte>(512 + body.Length);
        SipMessageWriter.WriteRequestLine(output, Encoding.ASCII.GetBytes(method), Encoding.UTF8.GetBytes(requestUri));
        // RFC 3261 §8.1.1.7: a fresh branch with the magic cookie per transaction; RFC 3581 rport.
        Header(output, KnownHeader.Via, $"SIP/2.0/TLS {sentBy};branch=z9hG4bK{Guid.NewGuid():N};rport");
        Header(output, KnownHeader.MaxForwards, "70");
        Header(output, KnownHeader.From, from);
        Header(output, KnownHeader.To, to);
        Header(output, KnownHeader.CallId, callId);
        Header(output, KnownHeader.CSeq, $"{cseq.ToString(System.Globalization.CultureInfo.InvariantCulture)} {method}");
        if (contact is not null)
        {
            Header(output, KnownHeader.Contact, contact);
        }

        if (expires is not null)
        {
            Header(output, KnownHeader.Expires, expires);
        }

        if (contentType is not null)
        {
            Header(output, KnownHeader.ContentType, contentType);
        }

        SipMessageWriter.WriteBody(output, body);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A response copying Via, From, To (with our tag), Call-ID and CSeq (RFC 3261 §8.2.6.2), plus Contact and an optional SDP body.</summary>
    public static byte[] Response(SipRequest request, int status, string reason, string toTag, string? contact, ReadOnlySpan<byte> body = default)
    {
        var output = new ArrayBufferWriter<byte>(512 + body.Length);
        SipMessageWriter.WriteStatusLine(output, status, Encoding.ASCII.GetBytes(reason));
        for (var i = 0; i < request.HeaderCount; i++)
        {
            var id = request.GetHeaderEntry(i).Id;
            var value = request.GetHeaderValue(i);
            switch (id)
            {
                case KnownHeader.Via or KnownHeader.From or KnownHeader.CallId or KnownHeader.CSeq:
                    SipMessageWriter.WriteHeader(output, id, value);
                    break;
                case KnownHeader.To when NameAddress.TryParse(value, out var to) && to.Tag.IsEmpty && toTag.Length > 0:
                    SipMessageWriter.WriteHeader(output, id, [.. value, .. ";tag="u8, .. Encoding.ASCII.GetBytes(toTag)]);
                    break;
                case KnownHeader.To:
                    SipMessageWriter.WriteHeader(output, id, value);
                    break;
                default:
                    break;
            }
        }

        if (contact is not null)
        {
            Header(output, KnownHeader.Contact, contact);
        }

        if (!body.IsEmpty)
        {
            Header(output, KnownHeader.ContentType, "application/sdp");
        }

        SipMessageWriter.WriteBody(output, body);
        return output.WrittenSpan.ToArray();
    }

    private static void Header(IBufferWriter<byte> output, KnownHeader header, string value) =>
        SipMessageWriter.WriteHeader(output, header, Encoding.UTF8.GetBytes(value));
}
