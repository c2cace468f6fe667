using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// Builds a response to a request (RFC 3261 §8.2.6) with extra headers and an optional body. The status line and the
/// copied headers come from <see cref="SipResponse.Begin"/>, so every reason phrase, whatever text it was built from, is
/// bounded and cleaned (<see cref="SipReasonPhrase"/>).
/// </summary>
internal static class SipResponses
{
    public static SipResponse Create(
        SipRequest request, int statusCode, string? toTag = null, IEnumerable<(string Name, string Value)>? headers = null,
        ReadOnlySpan<byte> body = default, string? reason = null)
    {
        var builder = new SipMessageBuilder();
        SipResponse.Begin(builder, request, statusCode, reason is null ? default : SipReasonPhrase.Clean(reason), toTag is null ? default : Encoding.ASCII.GetBytes(toTag));
        foreach (var (name, value) in headers ?? [])
        {
            var nameBytes = Encoding.ASCII.GetBytes(name);
            builder.OnHeader(KnownHeaders.Lookup(nameBytes), nameBytes, Encoding.UTF8.GetBytes(value));
        }

        builder.OnBody(body);
        builder.OnMessageEnd();
        return (SipResponse)builder.TakeMessage()!;
    }

}
