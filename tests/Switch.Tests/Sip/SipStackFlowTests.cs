using System.Buffers;
using System.Text;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transactions;
using HostedPbx.Switch.Tests.Sip.Support;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Sip;

/// <summary>
/// The layers together the way a connection uses them: bytes to the parser, messages to the transaction table, responses
/// back to bytes through the writer. No socket: the "wire" is a byte list.
/// </summary>
public sealed class SipStackFlowTests : ITransactionUser, IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly SipParser _parser = new(SipFraming.Stream);
    private readonly SipMessageBuilder _builder = new();
    private readonly TransactionTable _table = new();
    private readonly WireSender _wire = new();
    private readonly SipTimerScheduler _scheduler;
    private ServerInviteTransaction? _invite;

    public SipStackFlowTests() => _scheduler = new SipTimerScheduler(_time);

    [Fact]
    public void Feed_InviteRejectedThenAcked_AnswersOverTheWireAndConfirms()
    {
        var invite = TestMessages.Invite;
        var ack = TestMessages.Invite
            .Replace("INVITE sip:", "ACK sip:", StringComparison.Ordinal)
            .Replace("CSeq: 1 INVITE", "CSeq: 1 ACK", StringComparison.Ordinal)
            .Replace("To: Bob <sip:bob@biloxi.example.com>", "To: Bob <sip:bob@biloxi.example.com>;tag=busy", StringComparison.Ordinal)
            .Replace("Content-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\ns=-\r\n", "Content-Length: 0\r\n\r\n", StringComparison.Ordinal);

        // A ping, the INVITE split across two reads, then its retransmission.
        Feed("\r\n\r\n" + invite[..50]);
        Feed(invite[50..]);
        _invite!.SendResponse(SipResponse.Create(_invite.Request, SipStatusCodes.BusyHere, toTag: "busy"u8));
        Feed(invite);
        Feed(ack);

        Assert.Equal(["\r\n", "100 Trying", "486 Busy Here", "486 Busy Here"], _wire.Lines);
        Assert.Equal(ServerInviteTransaction.State.Terminated, _invite.CurrentState);
        Assert.Equal(0, _table.Count);
    }

    [Fact]
    public void Feed_MalformedRequest_IsAnswered400AndTheStreamContinues()
    {
        var bad = TestMessages.Options.Replace("Max-Forwards: 70", "Max-Forwards: 70\r\nMax-Forwards: 69", StringComparison.Ordinal);

        Feed(bad + TestMessages.Options);

        Assert.Equal("400 Bad Request - Duplicate Header", _wire.Lines[0]);
        Assert.Single(_wire.Lines);
        Assert.Equal(0, _table.Count);
    }

    public void Dispose() => _scheduler.Dispose();

    void ITransactionUser.OnResponse(ISipTransaction transaction, SipResponse response)
    {
    }

    void ITransactionUser.OnTimeout(ISipTransaction transaction)
    {
    }

    void ITransactionUser.OnTransportError(ISipTransaction transaction)
    {
    }

    void ITransactionUser.OnTerminated(ISipTransaction transaction) => _table.Remove(transaction);

    private readonly List<byte> _pending = [];

    // What a connection does with each read: parse every complete message, keep the rest for the next read.
    private void Feed(string text)
    {
        _pending.AddRange(Encoding.UTF8.GetBytes(text));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_pending.ToArray()));
        while (true)
        {
            var before = reader.Consumed;
            var status = _parser.TryParse(ref reader, _builder, out var reason);
            if (status == OperationStatus.NeedMoreData)
            {
                break;
            }

            Assert.True(reader.Consumed > before, "broken framing would close the connection");
            using var message = _builder.TakeMessage();
            if (status == OperationStatus.InvalidData)
            {
                if (message is SipRequest { CanBeAnswered: true } refused)
                {
                    var output = new ArrayBufferWriter<byte>();
                    using var rejected = SipResponse.Reject(refused, reason, "r1"u8);
                    SipMessageWriter.Write(output, rejected);
                    _wire.Write(output.WrittenSpan);
                }

                continue;
            }

            if (message is null)
            {
                // A keep-alive ping: answer with a pong.
                var pong = new ArrayBufferWriter<byte>();
                SipMessageWriter.WriteKeepAlivePong(pong);
                _wire.Write(pong.WrittenSpan);
                continue;
            }

            Dispatch(message);
        }

        _pending.RemoveRange(0, (int)reader.Consumed);
    }

    private void Dispatch(SipMessage message)
    {
        if (_table.TryDispatch(message))
        {
            return;
        }

        if (message is SipRequest { Method: SipMethod.Invite } request && TransactionKey.TryCreateServerKey(request, out _))
        {
            // The table keeps the request alive with the transaction; this test parses a fresh copy for it.
            var copy = ParseResult.Parse(ToBytes(request)).Request;
            _invite = new ServerInviteTransaction(copy, _wire, this, _scheduler, new SipTimers());
            _table.TryAddServer(_invite);
            _invite.Start();
        }
    }

    private static byte[] ToBytes(SipMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        SipMessageWriter.Write(output, message);
        return output.WrittenSpan.ToArray();
    }

    private sealed class WireSender : ISipSender
    {
        public bool IsReliable => true;

        public List<string> Lines { get; } = [];

        public void Send(SipMessage message)
        {
            var output = new ArrayBufferWriter<byte>();
            SipMessageWriter.Write(output, message);
            Write(output.WrittenSpan);
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            var text = Encoding.UTF8.GetString(bytes);
            Lines.Add(text == "\r\n" ? text : text[8..text.IndexOf('\r', StringComparison.Ordinal)]);
        }
    }
}
