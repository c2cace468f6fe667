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
        // A zero-byte read waits for data without holding a buffer (SslStream passes it down to the socket): an idle handset's
        // connection then holds no read buffer of its own or of TLS between its keep-alives.
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true, useZeroByteReads: true));
        var builder = new SipMessageBuilder();
        try
        {
            while (!IsClosed)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var readAt = _time.GetTimestamp();
                Touch();
                var buffer = result.Buffer;
                // A message is in progress from the moment its first bytes arrive; the deadline is armed before anything
                // in this buffer is dispatched, so what the layers above see already runs under it.
                if (!buffer.IsEmpty && Interlocked.CompareExchange(ref _partialSince, readAt, 0) == 0)
                {
                    ArmPartialDeadline(readAt);
                }

                var keepGoing = Frame(buffer, builder, out var consumed, out var completed);
                var pending = buffer.Slice(consumed);
                reader.AdvanceTo(consumed, buffer.End);
                TrackPartial(pending, completed, readAt);
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
    private bool Frame(ReadOnlySequence<byte> buffer, SipMessageBuilder builder, out SequencePosition consumed, out bool completed)
    {
        var sequence = new SequenceReader<byte>(buffer);
        completed = false;
        try
        {
            while (true)
            {
                var before = sequence.Consumed;
                var keepAlives = builder.KeepAliveCount;
                var status = _parser.TryParse(ref sequence, builder, out var reason);
                completed |= status != OperationStatus.NeedMoreData;
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

                        if (IsClosed)
                        {
                            return false;
                        }

                        break;
                    case OperationStatus.InvalidData when sequence.Consumed == before || reason.BreaksStreamFraming():
                        RejectUnframed(buffer.Slice(before), reason);
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
        using var message = builder.TakeMessage();
        // RFC 3261 §21.4.1: a malformed request is answered 400 with the reason; a malformed response is dropped (§18.1.2).
        if (message is SipRequest { Method: not SipMethod.Ack } request && request.CanBeAnswered)
        {
            using var answer = SipResponse.Reject(request, reason, NewTag());
            Send(answer);
            SwitchLog.MalformedMessage(_logger, Id, answer.StatusCode, reason.ToString());
            return;
        }

        SwitchLog.MalformedMessageDropped(_logger, Id, reason.ToString());
    }

    /// <summary>
    /// The message's end cannot be found (a line or header block over the limit, a bad Content-Length). When its start line
    /// and the headers a response copies did arrive, it is answered 400 or 513 (RFC 3261 §18.3, §21.5.14) before the close.
    /// </summary>
    private void RejectUnframed(ReadOnlySequence<byte> unread, SipRejectReason reason)
    {
        var length = (int)Math.Min(unread.Length, SipParser.MaxMessageSize + 2);
        var head = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            unread.Slice(0, length).CopyTo(head);
            var builder = new SipMessageBuilder();
            using var message = SipParser.TryReportHead(head.AsSpan(0, length), builder) ? builder.TakeMessage() : null;
            if (message is SipRequest { Method: not SipMethod.Ack } request && request.CanBeAnswered)
            {
                using var answer = SipResponse.Reject(request, reason, NewTag());
                Send(answer);
                SwitchLog.FramingLostAnswered(_logger, Id, reason.ToString(), answer.StatusCode);
            }
            else
            {
                SwitchLog.FramingLost(_logger, Id, reason.ToString());
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }

        CloseAfterSending();
    }

    private void TrackPartial(ReadOnlySequence<byte> pending, bool completed, long readAt)
    {
        // Leftover CRLFs (a pong, the tail of a keep-alive) are not the start of a message.
        if (pending.IsEmpty || IsOnlyLineEnds(pending))
        {
            Volatile.Write(ref _partialSince, 0);
            _partialTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        if (completed)
        {
            // Messages finished in this read: what is left began in it.
            Volatile.Write(ref _partialSince, readAt);
            ArmPartialDeadline(readAt);
        }
    }

    private void ArmPartialDeadline(long since)
    {
        var left = _limits.PartialMessageTimeout - _time.GetElapsedTime(since);
        _partialTimer.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnPartialCheck()
    {
        var since = Volatile.Read(ref _partialSince);
        if (since == 0 || IsClosed)
        {
            return;
        }

        if (_time.GetElapsedTime(since) >= _limits.PartialMessageTimeout)
        {
            // A slow header (slowloris) holds a connection for ever unless a message has a deadline of its own.
            SwitchLog.PartialMessageTimeout(_logger, Id, (int)_limits.PartialMessageTimeout.TotalSeconds);
            Close();
            return;
        }

        ArmPartialDeadline(since);
    }

    private static byte[] NewTag() => System.Text.Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")[..12]);

    private static bool IsOnlyLineEnds(ReadOnlySequence<byte> pending)
    {
        foreach (var segment in pending)
        {
            if (segment.Span.IndexOfAnyExcept((byte)'\r', (byte)'\n') >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
