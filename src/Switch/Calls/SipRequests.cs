using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Calls;

/// <summary>Builds the requests the B2BUA sends as a UAC (RFC 3261 §8.1.1, §12.2.1.1).</summary>
internal static class SipRequests
{
    public static SipRequest Create(
        string method, string requestUri, string viaSentBy, string from, string to, string callId, uint cseq,
        string? contact, ReadOnlySpan<byte> body = default, string? contentType = null, IEnumerable<(KnownHeader Header, string Value)>? extra = null,
        IEnumerable<(string Name, string Value)>? named = null, SignallingTransport transport = SignallingTransport.Tls)
    {
        var builder = new SipMessageBuilder();
        builder.OnRequestLine(Encoding.ASCII.GetBytes(method), Encoding.UTF8.GetBytes(requestUri));
        // RFC 3261 §8.1.1.7: a fresh branch with the magic cookie for every new transaction; RFC 3581 rport. §18.1.1: the
        // Via names the transport the request leaves on (UDP or TCP only on a plain trunk's flow, issue 11).
        Add(builder, KnownHeader.Via, $"SIP/2.0/{ViaTransport(transport)} {viaSentBy};branch={TransactionKey.CreateBranch()};rport");
        Add(builder, KnownHeader.MaxForwards, "70");
        Add(builder, KnownHeader.From, from);
        Add(builder, KnownHeader.To, to);
        Add(builder, KnownHeader.CallId, callId);
        Add(builder, KnownHeader.CSeq, $"{cseq.ToString(System.Globalization.CultureInfo.InvariantCulture)} {method}");
        if (contact is not null)
        {
            Add(builder, KnownHeader.Contact, contact);
        }

        foreach (var (header, value) in extra ?? [])
        {
            Add(builder, header, value);
        }

        // Headers the switch has no name of its own for (P-Asserted-Identity between our nodes, issue 14).
        foreach (var (name, value) in named ?? [])
        {
            builder.OnHeader(KnownHeader.Unknown, Encoding.ASCII.GetBytes(name), Encoding.UTF8.GetBytes(value));
        }

        if (contentType is not null)
        {
            Add(builder, KnownHeader.ContentType, contentType);
        }

        builder.OnBody(body);
        builder.OnMessageEnd();
        return (SipRequest)builder.TakeMessage()!;
    }

    /// <summary>RFC 3261 §19.1.1: the <c>transport</c> URI parameter for a flow's transport (plain only on a named trunk, issue 11).</summary>
    public static string UriTransport(SignallingTransport transport) => transport switch
    {
        SignallingTransport.Udp => "udp",
        SignallingTransport.Tcp => "tcp",
        SignallingTransport.Tls or SignallingTransport.Internal => "tls",
        _ => throw new ArgumentOutOfRangeException(nameof(transport)),
    };

    /// <summary>RFC 3261 §20.42: the transport token of a Via's sent-protocol.</summary>
    public static string ViaTransport(SignallingTransport transport) => UriTransport(transport).ToUpperInvariant();

    public static string NewTag() => Guid.NewGuid().ToString("N")[..12];

    public static string NewCallId(string host) => $"{Guid.NewGuid():N}@{host}";

    private static void Add(SipMessageBuilder builder, KnownHeader header, string value) => builder.AddHeader(header, Encoding.UTF8.GetBytes(value));
}
