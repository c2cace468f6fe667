using HostedPbx.Switch.Sip.Messages;

namespace HostedPbx.Switch.Tests.Sip.Support;

internal static class TestRequests
{
    public static SipRequest Invite(string branch = "z9hG4bKinv1") => Request("INVITE", branch, "INVITE");

    public static SipRequest Ack(string branch = "z9hG4bKinv1") => Request("ACK", branch, "ACK");

    public static SipRequest Options(string branch = "z9hG4bKopt1") => Request("OPTIONS", branch, "OPTIONS");

    public static SipRequest Cancel(string branch = "z9hG4bKinv1") => Request("CANCEL", branch, "CANCEL");

    public static SipRequest Request(string method, string branch, string cseqMethod, string sentBy = "ua.example.com:5061") =>
        ParseResult.Parse(
            $"{method} sip:bob@biloxi.example.com SIP/2.0\r\n" +
            $"Via: SIP/2.0/TLS {sentBy};branch={branch}\r\n" +
            "Max-Forwards: 70\r\n" +
            "Route: <sip:proxy.example.com;lr>\r\n" +
            "From: <sip:alice@atlanta.example.com>;tag=a1\r\n" +
            "To: <sip:bob@biloxi.example.com>\r\n" +
            "Call-ID: call-1@atlanta.example.com\r\n" +
            $"CSeq: 7 {cseqMethod}\r\n" +
            "Content-Length: 0\r\n\r\n").Request;

    public static SipResponse Response(SipRequest request, int statusCode, string toTag = "b1") =>
        SipResponse.Create(request, statusCode, toTag: System.Text.Encoding.ASCII.GetBytes(toTag));
}
