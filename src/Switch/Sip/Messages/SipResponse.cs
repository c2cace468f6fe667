using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Messages;

public sealed class SipResponse : SipMessage
{
    private readonly Range _reasonPhrase;

    internal SipResponse(byte[] buffer, HeaderEntry[] headers, int headerCount, Range body, int statusCode, Range reasonPhrase)
        : base(buffer, headers, headerCount, body)
    {
        StatusCode = statusCode;
        _reasonPhrase = reasonPhrase;
    }

    public int StatusCode { get; }

    public ReadOnlySpan<byte> ReasonPhrase => Slice(_reasonPhrase);

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>"code reason", for logs.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{StatusCode} {System.Text.Encoding.UTF8.GetString(ReasonPhrase)}");

    /// <summary>
    /// Builds a response to <paramref name="request"/> (RFC 3261 §8.2.6.2): Via, From, To, Call-ID and CSeq copied,
    /// a To tag added when the To has none, Record-Route copied for 101-299 (§12.1.1). The caller adds Contact and a body.
    /// </summary>
    public static SipResponse Create(
        SipRequest request,
        int statusCode,
        ReadOnlySpan<byte> reasonPhrase = default,
        ReadOnlySpan<byte> toTag = default,
        SipMessageBuilder? builder = null)
    {
        builder ??= new SipMessageBuilder();
        Begin(builder, request, statusCode, reasonPhrase, toTag);
        builder.OnMessageEnd();
        return (SipResponse)builder.TakeMessage()!;
    }

    /// <summary>The answer to a request the parser refused: 400, 505 or 513 with the cause in words (RFC 3261 §21.4.1, §21.5.7).</summary>
    public static SipResponse Reject(SipRequest request, SipRejectReason reason, ReadOnlySpan<byte> toTag) =>
        Create(request, reason.GetStatusCode(), reason.GetReasonPhrase(), toTag);

    /// <summary>
    /// The one place a response's status line and copied headers are made; the caller may add headers and a body, then
    /// ends the message. The reason phrase is cleaned (<see cref="SipReasonPhrase"/>); an empty one becomes the standard phrase.
    /// </summary>
    internal static void Begin(SipMessageBuilder builder, SipRequest request, int statusCode, ReadOnlySpan<byte> reasonPhrase, ReadOnlySpan<byte> toTag)
    {
        ArgumentNullException.ThrowIfNull(request);
        builder.Reset();
        Span<byte> cleaned = stackalloc byte[SipReasonPhrase.MaxLength];
        var length = SipReasonPhrase.Clean(reasonPhrase, cleaned);
        builder.OnStatusLine(statusCode, length == 0 ? SipStatusCodes.GetReasonPhrase(statusCode) : cleaned[..length]);
        for (var i = 0; i < request.HeaderCount; i++)
        {
            var entry = request.GetHeaderEntry(i);
            var value = request.GetHeaderValue(i);
            switch (entry.Id)
            {
                case KnownHeader.Via or KnownHeader.From or KnownHeader.CallId or KnownHeader.CSeq:
                    builder.AddHeader(entry.Id, value);
                    break;
                case KnownHeader.To when SipMessageWriter.NeedsTag(value, toTag):
                    // RFC 3261 §8.2.6.2: the UAS adds its tag to a To without one.
                    builder.AddHeader(KnownHeader.To, value, ";tag="u8, toTag);
                    break;
                case KnownHeader.To:
                    builder.AddHeader(KnownHeader.To, value);
                    break;
                case KnownHeader.RecordRoute when statusCode is > 100 and < 300:
                    builder.AddHeader(entry.Id, value);
                    break;
                default:
                    break;
            }
        }
    }
}
