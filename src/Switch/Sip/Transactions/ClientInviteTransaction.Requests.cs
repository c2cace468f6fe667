using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transactions;

public sealed partial class ClientInviteTransaction
{
    /// <summary>
    /// A CANCEL for this INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, From, To and CSeq number, one Via equal to the
    /// INVITE's top Via (so it reaches the same server transaction), and the same Route. Send it in its own non-INVITE
    /// client transaction, and only once a provisional response has arrived.
    /// </summary>
    public SipRequest CreateCancel()
    {
        _invite.TryGetHeader(KnownHeader.To, out var to);
        return BuildFromInvite("CANCEL"u8, to);
    }

    // RFC 3261 §17.1.1.3: the ACK for a non-2xx response has the INVITE's Request-URI, Call-ID, From, CSeq number and
    // top Via only, the response's To (with its tag), and the INVITE's Route headers.
    private void SendAck(SipResponse response)
    {
        response.TryGetHeader(KnownHeader.To, out var to);
        Ack = BuildFromInvite("ACK"u8, to);
        _sender.Send(Ack);
    }

    private SipRequest BuildFromInvite(ReadOnlySpan<byte> method, ReadOnlySpan<byte> to)
    {
        var builder = new SipMessageBuilder();
        builder.OnRequestLine(method, _invite.RequestUri);
        foreach (var via in _invite.GetHeaderElements(KnownHeader.Via))
        {
            builder.AddHeader(KnownHeader.Via, via);
            break;
        }

        builder.AddHeader(KnownHeader.MaxForwards, "70"u8);
        if (_invite.TryGetHeader(KnownHeader.From, out var from))
        {
            builder.AddHeader(KnownHeader.From, from);
        }

        builder.AddHeader(KnownHeader.To, to);
        if (_invite.TryGetHeader(KnownHeader.CallId, out var callId))
        {
            builder.AddHeader(KnownHeader.CallId, callId);
        }

        _invite.TryGetCSeq(out var cseq);
        Span<byte> number = stackalloc byte[16];
        cseq.Number.TryFormat(number, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        builder.AddHeader(KnownHeader.CSeq, number[..written], " "u8, method);

        for (var i = 0; i < _invite.HeaderCount; i++)
        {
            if (_invite.GetHeaderEntry(i).Id == KnownHeader.Route)
            {
                builder.AddHeader(KnownHeader.Route, _invite.GetHeaderValue(i));
            }
        }

        builder.OnMessageEnd();
        return (SipRequest)builder.TakeMessage()!;
    }
}
