using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

public sealed partial class ClientInviteTransaction
{
    // RFC 3261 §17.1.1.3: the ACK for a non-2xx response has the INVITE's Request-URI, Call-ID, From, CSeq number and
    // top Via only, the response's To (with its tag), and the INVITE's Route headers.
    private void SendAck(SipResponse response)
    {
        var builder = new SipMessageBuilder();
        builder.OnRequestLine("ACK"u8, _invite.RequestUri);
        foreach (var via in _invite.GetHeaderElements(KnownHeader.Via))
        {
            builder.AddHeader(KnownHeader.Via, via);
            break;
        }

        builder.AddHeader(KnownHeader.MaxForwards, "70"u8);
        CopyFirst(_invite, KnownHeader.From, builder);
        CopyFirst(response, KnownHeader.To, builder);
        CopyFirst(_invite, KnownHeader.CallId, builder);

        _invite.TryGetCSeq(out var cseq);
        Span<byte> cseqValue = stackalloc byte[16];
        cseq.Number.TryFormat(cseqValue, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        builder.AddHeader(KnownHeader.CSeq, cseqValue[..written], " ACK"u8);

        for (var i = 0; i < _invite.HeaderCount; i++)
        {
            if (_invite.GetHeaderEntry(i).Id == KnownHeader.Route)
            {
                builder.AddHeader(KnownHeader.Route, _invite.GetHeaderValue(i));
            }
        }

        builder.OnMessageEnd();
        Ack = (SipRequest)builder.TakeMessage()!;
        _sender.Send(Ack);
    }

    private static void CopyFirst(SipMessage source, KnownHeader header, SipMessageBuilder builder)
    {
        if (source.TryGetHeader(header, out var value))
        {
            builder.AddHeader(header, value);
        }
    }
}
