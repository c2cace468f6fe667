using HostedPbx.Switch.Sip.Dialogs;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Sip.Dialogs;

public sealed class DialogTests
{
    private const string Invite =
        "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TLS pc33.atlanta.example.com;branch=z9hG4bKnashds8\r\n" +
        "Max-Forwards: 70\r\n" +
        "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\r\n" +
        "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
        "To: Bob <sip:bob@biloxi.example.com>\r\n" +
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sips:alice@pc33.atlanta.example.com>\r\n" +
        "Content-Length: 0\r\n\r\n";

    [Fact]
    public void TryCreateAsUas_Invite_TakesRouteSetTargetAndRemoteSequence()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var response = WithContact(SipResponse.Create(request, 200, toTag: "a6c85cf"u8));

        Assert.True(Dialog.TryCreateAsUas(request, response, out var dialog));

        Assert.Equal(new DialogKey("a84b4c76e66710@pc33.atlanta.example.com", "a6c85cf", "1928301774"), dialog!.Key);
        Assert.Equal(Dialog.State.Confirmed, dialog.CurrentState);
        Assert.Equal("sips:alice@pc33.atlanta.example.com"u8, dialog.RemoteTarget);
        Assert.Equal(2, dialog.RouteCount);
        Assert.Equal("<sip:p2.example.com;lr>"u8, dialog.GetRoute(0));
        Assert.Equal(314159u, dialog.RemoteSequence);
        Assert.Equal(0u, dialog.LocalSequence);
    }

    [Fact]
    public void TryCreateAsUac_Ringing_IsEarlyWithReversedRouteSet()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var response = WithContact(SipResponse.Create(request, 180, toTag: "a6c85cf"u8));

        Assert.True(Dialog.TryCreateAsUac(request, response, out var dialog));

        Assert.Equal(Dialog.State.Early, dialog!.CurrentState);
        Assert.Equal(new DialogKey("a84b4c76e66710@pc33.atlanta.example.com", "1928301774", "a6c85cf"), dialog.Key);
        Assert.Equal("<sip:p1.example.com;lr>"u8, dialog.GetRoute(0));
        Assert.Equal("sips:bob@client.biloxi.example.com"u8, dialog.RemoteTarget);
        Assert.Equal(314159u, dialog.LocalSequence);
    }

    [Fact]
    public void TryCreateAsUac_ResponseWithoutToTag_ReturnsFalse()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var response = WithContact(SipResponse.Create(request, 180));

        Assert.False(Dialog.TryCreateAsUac(request, response, out _));
    }

    [Fact]
    public void OnResponse_SuccessOnEarlyUacDialog_Confirms()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var ringing = WithContact(SipResponse.Create(request, 180, toTag: "a6c85cf"u8));
        Assert.True(Dialog.TryCreateAsUac(request, ringing, out var dialog));
        using var ok = WithContact(SipResponse.Create(request, 200, toTag: "a6c85cf"u8));

        dialog!.OnResponse(ok);

        Assert.Equal(Dialog.State.Confirmed, dialog.CurrentState);
    }

    [Fact]
    public void OnResponse_FailureOnEarlyDialog_Terminates()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var ringing = WithContact(SipResponse.Create(request, 180, toTag: "a6c85cf"u8));
        Assert.True(Dialog.TryCreateAsUac(request, ringing, out var dialog));
        using var busy = SipResponse.Create(request, 486, toTag: "a6c85cf"u8);

        dialog!.OnResponse(busy);

        Assert.Equal(Dialog.State.Terminated, dialog.CurrentState);
    }

    [Fact]
    public void CreateRequest_LooseRouteSet_TargetsRemoteAndIncrementsCSeq()
    {
        var dialog = CreateUac();

        using var bye = dialog.CreateRequest(SipMethod.Bye, "SIP/2.0/TLS switch.example.com;branch=z9hG4bKbye1"u8);

        Assert.Equal(SipMethod.Bye, bye.Method);
        Assert.Equal("sips:bob@client.biloxi.example.com"u8, bye.RequestUri);
        Assert.True(bye.TryGetCSeq(out var cseq));
        Assert.Equal(314160u, cseq.Number);
        Assert.Equal("BYE"u8, cseq.Method);
        Assert.Equal("1928301774", bye.FromTag);
        Assert.Equal("a6c85cf", bye.ToTag);
        Assert.Equal(dialog.Key.CallId, bye.CallId);
        var routes = new List<string>();
        foreach (var route in bye.GetHeaderElements(KnownHeader.Route))
        {
            routes.Add(System.Text.Encoding.ASCII.GetString(route));
        }

        Assert.Equal(["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"], routes);
        AssertReparses(bye);
    }

    [Fact]
    public void CreateRequest_StrictFirstRoute_BecomesRequestUri()
    {
        using var request = ParseResult.Parse(Invite.Replace("<sip:p2.example.com;lr>, <sip:p1.example.com;lr>", "<sip:p1.example.com>", StringComparison.Ordinal)).Request;
        using var response = WithContact(SipResponse.Create(request, 200, toTag: "a6c85cf"u8));
        Assert.True(Dialog.TryCreateAsUac(request, response, out var dialog));

        using var bye = dialog!.CreateRequest(SipMethod.Bye, "SIP/2.0/TLS switch.example.com;branch=z9hG4bKbye2"u8);

        Assert.Equal("sip:p1.example.com"u8, bye.RequestUri);
        Assert.True(bye.TryGetHeader(KnownHeader.Route, out var route));
        Assert.Equal("<sips:bob@client.biloxi.example.com>"u8, route);
    }

    [Fact]
    public void CreateAck_ForSuccess_ReusesInviteSequence()
    {
        var dialog = CreateUac();

        using var ack = dialog.CreateAck(314159, "SIP/2.0/TLS switch.example.com;branch=z9hG4bKack1"u8);

        Assert.True(ack.TryGetCSeq(out var cseq));
        Assert.Equal(314159u, cseq.Number);
        Assert.Equal("ACK"u8, cseq.Method);
        Assert.Equal(314159u, dialog.LocalSequence);
    }

    [Fact]
    public void TryAcceptRequest_LowerCSeq_IsRefusedAndReinviteRefreshesTarget()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var response = WithContact(SipResponse.Create(request, 200, toTag: "a6c85cf"u8));
        Assert.True(Dialog.TryCreateAsUas(request, response, out var dialog));
        using var reinvite = ParseResult.Parse(Invite
            .Replace("CSeq: 314159", "CSeq: 314160", StringComparison.Ordinal)
            .Replace("To: Bob <sip:bob@biloxi.example.com>", "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf", StringComparison.Ordinal)
            .Replace("sips:alice@pc33.atlanta.example.com", "sips:alice@new.atlanta.example.com", StringComparison.Ordinal)).Request;
        using var stale = ParseResult.Parse(Invite.Replace("CSeq: 314159 INVITE", "CSeq: 314100 INVITE", StringComparison.Ordinal)).Request;

        Assert.True(dialog!.TryAcceptRequest(reinvite));
        Assert.False(dialog.TryAcceptRequest(stale));

        Assert.Equal("sips:alice@new.atlanta.example.com"u8, dialog.RemoteTarget);
        Assert.Equal(314160u, dialog.RemoteSequence);
    }

    [Fact]
    public void DialogTable_FindsDialogForInDialogRequest()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var response = WithContact(SipResponse.Create(request, 200, toTag: "a6c85cf"u8));
        Assert.True(Dialog.TryCreateAsUas(request, response, out var dialog));
        var table = new DialogTable<string>();
        Assert.True(table.TryAdd(dialog!, "leg"));
        using var bye = ParseResult.Parse(Invite
            .Replace("INVITE sip:", "BYE sip:", StringComparison.Ordinal)
            .Replace("CSeq: 314159 INVITE", "CSeq: 314160 BYE", StringComparison.Ordinal)
            .Replace("To: Bob <sip:bob@biloxi.example.com>", "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf", StringComparison.Ordinal)).Request;

        Assert.True(table.TryFindForRequest(bye, out var found, out var usage));

        Assert.Same(dialog, found);
        Assert.Equal("leg", usage);
        Assert.True(table.Remove(dialog!));
        Assert.Equal(0, table.Count);
    }

    private static Dialog CreateUac()
    {
        using var request = ParseResult.Parse(Invite).Request;
        using var response = WithContact(SipResponse.Create(request, 200, toTag: "a6c85cf"u8));
        Assert.True(Dialog.TryCreateAsUac(request, response, out var dialog));
        return dialog!;
    }

    // Responses built by SipResponse.Create carry no Contact; the UAS adds its own (here Bob's).
    private static SipResponse WithContact(SipResponse response)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        SipMessageWriter.Write(output, response);
        response.Dispose();
        var text = System.Text.Encoding.UTF8.GetString(output.WrittenSpan)
            .Replace("Content-Length: 0", "Contact: <sips:bob@client.biloxi.example.com>\r\nContent-Length: 0", StringComparison.Ordinal);
        return ParseResult.Parse(text).Response;
    }

    private static void AssertReparses(SipMessage message)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        SipMessageWriter.Write(output, message);
        Assert.Equal(System.Buffers.OperationStatus.Done, ParseResult.Parse(output.WrittenSpan.ToArray()).Status);
    }
}
