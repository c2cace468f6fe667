using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Sip.Messages;

public sealed class SipRequestTests
{
    [Fact]
    public void WithReceived_RportRequested_FillsRportAndReceived()
    {
        using var request = ParseResult.Parse(TestMessages.Invite).Request;

        using var stamped = request.WithReceived("198.51.100.7"u8, 40123);

        Assert.True(stamped.TryGetHeader(KnownHeader.Via, out var via));
        Assert.Equal("SIP/2.0/TLS client.atlanta.example.com:5061;branch=z9hG4bK74bf9;rport=40123;received=198.51.100.7", Encoding.ASCII.GetString(via));
        Assert.Equal(request.HeaderCount, stamped.HeaderCount);
        Assert.Equal(request.Body.ToArray(), stamped.Body.ToArray());
        using var response = SipResponse.Create(stamped, 200, toTag: "t"u8);
        Assert.True(response.TryGetTopVia(out var responseVia));
        Assert.Equal("198.51.100.7"u8, responseVia.Received);
    }

    [Fact]
    public void WithReceived_SameHostNoRport_ReturnsSameRequest()
    {
        using var request = ParseResult.Parse(TestMessages.Options).Request;

        var stamped = request.WithReceived("pc33.atlanta.example.com"u8, 5060);

        Assert.Same(request, stamped);
    }

    [Fact]
    public void WithReceived_SeveralViasOnFirstLine_ChangesOnlyTheTopOne()
    {
        var text = TestMessages.Options.Replace(
            "Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877",
            "Via: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK1;received=1.1.1.1, SIP/2.0/TCP p.example.com;branch=z9hG4bK2",
            StringComparison.Ordinal);
        using var request = ParseResult.Parse(text).Request;

        using var stamped = request.WithReceived("192.0.2.9"u8, 5060);

        Assert.True(stamped.TryGetHeader(KnownHeader.Via, out var via));
        Assert.Equal("SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK1;received=192.0.2.9, SIP/2.0/TCP p.example.com;branch=z9hG4bK2", Encoding.ASCII.GetString(via));
    }

    [Fact]
    public void WithReceived_IPv6SentByEqualToSource_IsUnchanged()
    {
        var text = TestMessages.Options.Replace("pc33.atlanta.example.com;", "[2001:db8::7]:5061;", StringComparison.Ordinal);
        using var request = ParseResult.Parse(text).Request;

        Assert.Same(request, request.WithReceived("2001:db8::7"u8, 5061));
    }

    [Fact]
    public void WithReceived_IPv6Source_ReparsesInResponses()
    {
        using var request = ParseResult.Parse(TestMessages.Invite).Request;

        using var stamped = request.WithReceived("2001:db8::7"u8, 5061);
        using var response = SipResponse.Create(stamped, 180);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        SipMessageWriter.Write(output, response);

        var reparsed = ParseResult.Parse(output.WrittenSpan.ToArray());
        Assert.Equal(System.Buffers.OperationStatus.Done, reparsed.Status);
        Assert.True(reparsed.Response.TryGetTopVia(out var via));
        Assert.Equal("2001:db8::7"u8, via.Received);
    }
}
