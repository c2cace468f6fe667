using System.Buffers;
using System.IO.Pipelines;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Sip.Transport;

internal sealed partial class SipConnection
{
    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        var builder = new SipMessageBuilder();
        try
        {
            while (!IsClosed)
            {
                var result = await reader.ReadAsync(cancellationToken);
                Touch();
                var buffer = result.Buffer;
                var keepGoing = Frame(buffer, builder, out var consumed);
                reader.AdvanceTo(consumed, buffer.End);
                if (!keepGoing || result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    // Returns false when the stream's framing is lost and the connection must close (RFC 3261 §18.3).
    private bool Frame(ReadOnlySequence<byte> buffer, SipMessageBuilder builder, out SequencePosition consumed)
    {
        var sequence = new SequenceReader<byte>(buffer);
        try
        {
            while (true)
            {
                var before = sequence.Consumed;
                var keepAlives = builder.KeepAliveCount;
                var status = _parser.TryParse(ref sequence, builder, out var reason);
                switch (status)
                {
                    case OperationStatus.NeedMoreData:
                        return true;
                    case OperationStatus.Done when builder.KeepAliveCount != keepAlives:
                        // RFC 5626 §4.4.1: a CRLFCRLF ping is answered with a single CRLF pong.
                        SendRaw("\r\n"u8.ToArray());
                        break;
                    case OperationStatus.Done:
                        if (builder.TakeMessage() is { } message)
                        {
                            _handler.OnMessage(this, message);
                        }

                        break;
                    case OperationStatus.InvalidData when sequence.Consumed == before || reason.BreaksStreamFraming():
                        SwitchLog.FramingLost(_logger, Id, reason.ToString());
                        return false;
                    case OperationStatus.InvalidData:
                        RejectMalformed(builder, reason);
                        break;
                    default:
                        return false;
                }
            }
        }
        finally
        {
            consumed = sequence.Position;
        }
    }

    private void RejectMalformed(SipMessageBuilder builder, SipRejectReason reason)
    {
        SwitchLog.MalformedMessage(_logger, Id, reason.ToString());
        using var message = builder.TakeMessage();
        // RFC 3261 §21.4.1: a malformed request is answered 400 with the reason; a malformed response is dropped (§18.1.2).
        if (message is SipRequest { Method: not SipMethod.Ack } request && request.CanBeAnswered)
        {
            var output = new ArrayBufferWriter<byte>(512);
            SipMessageWriter.WriteReject(output, request, reason);
            SendRaw(output.WrittenSpan.ToArray());
        }
    }
}
