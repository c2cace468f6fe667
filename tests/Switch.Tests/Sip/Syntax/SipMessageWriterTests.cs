using System.Buffers;
using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

public sealed class SipMessageWriterTests
{
    [Theory]
    [InlineData(TestMessages.Invite)]
    [InlineData(TestMessages.Options)]
    [InlineData(TestMessages.Ringing)]
    public void Write_ParsedMessage_RoundTripsByteForByte(string text)
    {
        using var message = ParseResult.Parse(text).Message!;
        var output = new ArrayBufferWriter<byte>();

        SipMessageWriter.Write(output, message);

        Assert.Equal(text, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Write_CompactAndFoldedInput_IsWrittenCanonicallyAndReparses()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "rfc4475", "wsinv.dat"));
        using var original = ParseResult.Parse(bytes, SipFraming.Datagram).Request;
        var output = new ArrayBufferWriter<byte>();

        SipMessageWriter.Write(output, original);
        var written = Encoding.UTF8.GetString(output.WrittenSpan);
        using var reparsed = ParseResult.Parse(output.WrittenSpan.ToArray()).Request;

        Assert.DoesNotContain("\r\n ", written, StringComparison.Ordinal);
        Assert.Contains("\r\nContact: ", written, StringComparison.Ordinal);
        Assert.Equal(original.HeaderCount, reparsed.HeaderCount);
        Assert.Equal(original.CallId, reparsed.CallId);
        Assert.Equal(original.Body.ToArray(), reparsed.Body.ToArray());
    }

    [Fact]
    public void Write_ResponseToRequest_CopiesDialogHeadersAndAddsToTag()
    {
        using var request = ParseResult.Parse(TestMessages.Invite).Request;
        var output = new ArrayBufferWriter<byte>();

        using (var ringing = SipResponse.Create(request, 180, "Ringing"u8, "as83kd9"u8))
        {
            SipMessageWriter.Write(output, ringing);
        }

        using var response = ParseResult.Parse(output.WrittenSpan.ToArray()).Response;
        Assert.Equal(180, response.StatusCode);
        Assert.Equal("as83kd9", response.ToTag);
        Assert.Equal(request.FromTag, response.FromTag);
        Assert.Equal(request.CallId, response.CallId);
        Assert.True(response.TryGetCSeq(out var cseq));
        Assert.Equal("INVITE"u8, cseq.Method);
        Assert.True(response.TryGetTopVia(out var via));
        Assert.Equal("z9hG4bK74bf9"u8, via.Branch);
        Assert.False(response.TryGetHeader(KnownHeader.Contact, out _));
    }

    [Fact]
    public void Reject_RefusedRequest_Answers400WithReason()
    {
        var text = TestMessages.Options.Replace("CSeq: 63104 OPTIONS", "CSeq: 63104 INVITE", StringComparison.Ordinal);
        var parsed = ParseResult.Parse(text);
        using var request = parsed.Request;
        var output = new ArrayBufferWriter<byte>();

        using (var rejected = SipResponse.Reject(request, parsed.Reason, "r1"u8))
        {
            SipMessageWriter.Write(output, rejected);
        }

        var written = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.StartsWith("SIP/2.0 400 Bad Request - CSeq Method Mismatch\r\n", written, StringComparison.Ordinal);
        Assert.EndsWith("Content-Length: 0\r\n\r\n", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ResponseModel_KeepsExistingToTag()
    {
        using var request = ParseResult.Parse(TestMessages.Ringing.Replace("SIP/2.0 180 Ringing", "BYE sip:alice@atlanta.example.com SIP/2.0", StringComparison.Ordinal)
            .Replace("CSeq: 1 INVITE", "CSeq: 2 BYE", StringComparison.Ordinal)).Request;

        using var response = SipResponse.Create(request, SipStatusCodes.Ok, toTag: "other"u8);

        Assert.Equal("8321234356", response.ToTag);
        Assert.Equal("OK"u8, response.ReasonPhrase);
    }

    [Fact]
    public void Create_ResponseModel_WritesAndReparses()
    {
        using var request = ParseResult.Parse(TestMessages.Invite).Request;
        using var response = SipResponse.Create(request, SipStatusCodes.BusyHere, toTag: "t1"u8);
        var output = new ArrayBufferWriter<byte>();

        SipMessageWriter.Write(output, response);

        var reparsed = ParseResult.Parse(output.WrittenSpan.ToArray());
        Assert.Equal(OperationStatus.Done, reparsed.Status);
        Assert.Equal(486, reparsed.Response.StatusCode);
        Assert.Equal("t1", reparsed.Response.ToTag);
    }

    [Fact]
    public void WriteKeepAlivePong_Always_WritesSingleCrlf()
    {
        var output = new ArrayBufferWriter<byte>();

        SipMessageWriter.WriteKeepAlivePong(output);

        Assert.Equal("\r\n"u8, output.WrittenSpan);
    }
}
