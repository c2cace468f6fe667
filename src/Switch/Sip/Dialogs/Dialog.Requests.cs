using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Dialogs;

public sealed partial class Dialog
{
    /// <summary>
    /// Builds a request within the dialog (RFC 3261 §12.2.1.1). <paramref name="via"/> is the full Via value with a new
    /// branch (the transport knows the sent-by). The local CSeq is incremented; use <see cref="CreateAck"/> for ACK.
    /// </summary>
    public SipRequest CreateRequest(
        SipMethod method,
        ReadOnlySpan<byte> via,
        ReadOnlySpan<byte> contact = default,
        ReadOnlySpan<byte> contentType = default,
        ReadOnlySpan<byte> body = default,
        IReadOnlyList<(string Name, string Value)>? headers = null)
    {
        if (method is SipMethod.Unknown or SipMethod.Ack)
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Use CreateAck for ACK; extension methods are not built here.");
        }

        // RFC 3261 §12.2.1.1: the local sequence number is incremented by one for each new request (CANCEL reuses it).
        if (method != SipMethod.Cancel)
        {
            LocalSequence++;
        }

        return Build(SipMethods.GetName(method), LocalSequence, via, contact, contentType, body, headers);
    }

    /// <summary>The ACK for a 2xx to an INVITE: same CSeq number as the INVITE, method ACK (RFC 3261 §13.2.2.4).</summary>
    public SipRequest CreateAck(uint inviteSequence, ReadOnlySpan<byte> via, ReadOnlySpan<byte> contentType = default, ReadOnlySpan<byte> body = default) =>
        Build("ACK"u8, inviteSequence, via, default, contentType, body, null);

    private SipRequest Build(
        ReadOnlySpan<byte> method,
        uint sequence,
        ReadOnlySpan<byte> via,
        ReadOnlySpan<byte> contact,
        ReadOnlySpan<byte> contentType,
        ReadOnlySpan<byte> body,
        IReadOnlyList<(string Name, string Value)>? headers)
    {
        var builder = new SipMessageBuilder();
        var firstRouteIsStrict = _routeSet.Length > 0 && !IsLooseRoute(_routeSet[0]);

        // RFC 3261 §12.2.1.1: with an empty route set or a loose first route, the Request-URI is the remote target;
        // a strict first route becomes the Request-URI and the remote target goes last in Route.
        builder.OnRequestLine(method, firstRouteIsStrict ? RouteUri(_routeSet[0]) : _remoteTarget);
        builder.AddHeader(KnownHeader.Via, via);
        builder.AddHeader(KnownHeader.MaxForwards, "70"u8);
        builder.AddHeader(KnownHeader.From, _localParty);
        builder.AddHeader(KnownHeader.To, _remoteParty);
        builder.AddHeader(KnownHeader.CallId, _callId);

        Span<byte> number = stackalloc byte[16];
        sequence.TryFormat(number, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        builder.AddHeader(KnownHeader.CSeq, number[..written], " "u8, method);

        for (var i = firstRouteIsStrict ? 1 : 0; i < _routeSet.Length; i++)
        {
            builder.AddHeader(KnownHeader.Route, _routeSet[i]);
        }

        if (firstRouteIsStrict)
        {
            builder.AddHeader(KnownHeader.Route, "<"u8, _remoteTarget, ">"u8);
        }

        if (!contact.IsEmpty)
        {
            builder.AddHeader(KnownHeader.Contact, contact);
        }

        foreach (var (name, value) in headers ?? [])
        {
            var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
            builder.OnHeader(KnownHeaders.Lookup(nameBytes), nameBytes, System.Text.Encoding.UTF8.GetBytes(value));
        }

        if (!contentType.IsEmpty)
        {
            builder.AddHeader(KnownHeader.ContentType, contentType);
        }

        builder.OnBody(body);
        builder.OnMessageEnd();
        return (SipRequest)builder.TakeMessage()!;
    }

    private static bool IsLooseRoute(ReadOnlySpan<byte> route) =>
        NameAddress.TryParse(route, out var address) && SipUri.TryParse(address.Uri, out var uri) && uri.IsLooseRouter;

    private static ReadOnlySpan<byte> RouteUri(ReadOnlySpan<byte> route) =>
        NameAddress.TryParse(route, out var address) ? address.Uri : route;
}
