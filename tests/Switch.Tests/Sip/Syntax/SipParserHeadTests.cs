using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Sip.Syntax;

/// <summary>What of an unframeable request is kept to answer it (RFC 3261 §18.3): whole lines only, never an over-long one.</summary>
public sealed class SipParserHeadTests
{
    private const string Head =
        "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bK1\r\nTo: <sip:127.0.0.1>\r\n"
        + "From: <sip:201@127.0.0.1>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n";

    [Fact]
    public void TryReportHead_DialogHeadersThenAnUnendedLine_AnswerableWithoutTheLine()
    {
        var builder = new SipMessageBuilder();

        Assert.True(SipParser.TryReportHead(Encoding.ASCII.GetBytes(Head + "Subject: " + new string('a', 9000)), builder));

        using var request = Assert.IsType<SipRequest>(builder.TakeMessage());
        Assert.True(request.CanBeAnswered);
        Assert.False(request.TryGetHeader(KnownHeader.Subject, out _));
        Assert.Equal("c1", request.CallId);
    }

    [Fact]
    public void TryReportHead_OverLongLineInTheMiddle_SkippedAndTheRestKept()
    {
        var builder = new SipMessageBuilder();
        var text = Head.Replace("Call-ID: c1\r\n", "Subject: " + new string('a', SipParser.MaxLineLength + 1) + "\r\nCall-ID: c1\r\n", StringComparison.Ordinal);

        Assert.True(SipParser.TryReportHead(Encoding.ASCII.GetBytes(text), builder));

        using var request = Assert.IsType<SipRequest>(builder.TakeMessage());
        Assert.True(request.CanBeAnswered);
        Assert.False(request.TryGetHeader(KnownHeader.Subject, out _));
    }

    [Theory]
    [InlineData("SIP/2.0 200 OK\r\nCall-ID: c1\r\n")]
    [InlineData("OPTIONS\r\nCall-ID: c1\r\n")]
    [InlineData("OPTIONS sip:127.0.0.1 SIP/2.0")]
    public void TryReportHead_ResponseOrNoRequestLine_NothingToAnswer(string text)
    {
        Assert.False(SipParser.TryReportHead(Encoding.ASCII.GetBytes(text), new SipMessageBuilder()));
    }
}
