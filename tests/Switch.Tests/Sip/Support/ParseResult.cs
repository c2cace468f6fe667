using System.Buffers;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Sip.Support;

internal sealed record ParseResult(OperationStatus Status, SipRejectReason Reason, long Consumed, SipMessage? Message, int KeepAlives)
{
    public static ParseResult Parse(ReadOnlySequence<byte> input, SipFraming framing = SipFraming.Stream)
    {
        var parser = new SipParser(framing);
        var builder = new SipMessageBuilder();
        var reader = new SequenceReader<byte>(input);
        var status = parser.TryParse(ref reader, builder, out var reason);
        var message = builder.IsComplete ? builder.TakeMessage() : null;
        return new ParseResult(status, reason, reader.Consumed, message, builder.KeepAliveCount);
    }

    public static ParseResult Parse(byte[] input, SipFraming framing = SipFraming.Stream) => Parse(new ReadOnlySequence<byte>(input), framing);

    public static ParseResult Parse(string input, SipFraming framing = SipFraming.Stream) => Parse(System.Text.Encoding.UTF8.GetBytes(input), framing);

    public SipRequest Request => Assert.IsType<SipRequest>(Message);

    public SipResponse Response => Assert.IsType<SipResponse>(Message);
}
