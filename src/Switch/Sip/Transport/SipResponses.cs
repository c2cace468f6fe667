using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>Builds a response to a request (RFC 3261 §8.2.6) with extra headers and an optional body.</summary>
internal static class SipResponses
{
    public static SipResponse Create(
        SipRequest request, int statusCode, string? toTag = null, IEnumerable<(string Name, string Value)>? headers = null,
        ReadOnlySpan<byte> body = default, string? reason = null)
    {
        var builder = new SipMessageBuilder();
        builder.OnStatusLine(statusCode, reason is null ? SipStatusCodes.GetReasonPhrase(statusCode) : System.Text.Encoding.UTF8.GetBytes(reason));
        for (var i = 0; i < request.HeaderCount; i++)
        {
            var entry = request.GetHeaderEntry(i);
            var value = request.GetHeaderValue(i);
            switch (entry.Id)
            {
                case KnownHeader.Via or KnownHeader.From or KnownHeader.CallId or KnownHeader.CSeq:
                    builder.AddHeader(entry.Id, value);
                    break;
                case KnownHeader.To when toTag is not null && request.ToTag.Length == 0:
                    // RFC 3261 §8.2.6.2: the UAS adds its tag to a To without one.
                    builder.AddHeader(KnownHeader.To, value, ";tag="u8, System.Text.Encoding.ASCII.GetBytes(toTag));
                    break;
                case KnownHeader.To:
                    builder.AddHeader(KnownHeader.To, value);
                    break;
                default:
                    break;
            }
        }

        foreach (var (name, value) in headers ?? [])
        {
            var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
            builder.OnHeader(KnownHeaders.Lookup(nameBytes), nameBytes, System.Text.Encoding.UTF8.GetBytes(value));
        }

        builder.OnBody(body);
        builder.OnMessageEnd();
        return (SipResponse)builder.TakeMessage()!;
    }
}
