using System.Buffers;
using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Tests.Sip.Support;

namespace HostedPbx.Switch.Tests.Transport;

/// <summary>
/// Found by attack: a 488 whose reason was built from the offer came back as a 189,044-character status line with NUL
/// bytes and "%n". Whatever text a reason is built from, the status line on the wire is short and clean.
/// </summary>
public sealed class SipResponsesTests
{
    [Fact]
    public void Create_ReasonBuiltFromAHostileOffer_StatusLineShortAndPrintable()
    {
        using var request = ParseResult.Parse(TestMessages.Invite).Request;
        var hostile = "No usable SDP offer: m=audio 4000 RTP/SAVP " + new string('0', 63 * 1024) + "\0\0%n%n%s\r\nVia: forged\u00e9";

        using var response = SipResponses.Create(request, SipStatusCodes.NotAcceptableHere, "t1", reason: hostile);
        var output = new ArrayBufferWriter<byte>();
        SipMessageWriter.Write(output, response);

        var wire = Encoding.Latin1.GetString(output.WrittenSpan);
        var statusLine = wire[..wire.IndexOf("\r\n", StringComparison.Ordinal)];
        Assert.StartsWith("SIP/2.0 488 No usable SDP offer: m=audio 4000 RTP/SAVP 000", statusLine, StringComparison.Ordinal);
        Assert.True(statusLine.Length <= "SIP/2.0 488 ".Length + SipReasonPhrase.MaxLength, $"status line of {statusLine.Length} characters");
        Assert.All(statusLine, c => Assert.InRange(c, ' ', '~'));
        Assert.DoesNotContain("%", statusLine, StringComparison.Ordinal);
        Assert.DoesNotContain("Via: forged", wire, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\0\0\0")]
    [InlineData("%%%")]
    [InlineData("")]
    public void Create_ReasonWithNothingPrintable_StandardPhrase(string reason)
    {
        using var request = ParseResult.Parse(TestMessages.Invite).Request;

        using var response = SipResponses.Create(request, SipStatusCodes.NotAcceptableHere, "t1", reason: reason);

        Assert.Equal("Not Acceptable Here"u8, response.ReasonPhrase);
    }

    [Fact]
    public void Create_ResponseModelFromPeerBytes_ReasonCleanedToo()
    {
        using var request = ParseResult.Parse(TestMessages.Invite).Request;

        using var response = SipResponse.Create(request, 500, "a\r\nb\0c"u8, "t1"u8);

        Assert.Equal("a b c"u8, response.ReasonPhrase);
    }
}
