using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.Tests.Calls.Support;

/// <summary>
/// A handset on the far side of an in-memory TLS connection: writes SIP as text, reads what the switch sends through
/// the product's parser, and sends and receives SRTP over its own loopback UDP socket.
/// </summary>
internal sealed class TestPhone : IAsyncDisposable
{
    private readonly SslStream _ssl;
    private readonly Channel<SipMessage> _inbox = Channel.CreateUnbounded<SipMessage>();
    private readonly List<SipMessage> _held = [];
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Task _reading;
    private int _cseq = 1;

    public TestPhone(SslStream ssl, string extension, int port)
    {
        _ssl = ssl;
        Extension = extension;
        Port = port;
        Media = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Media.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _reading = Task.Run(ReadAsync);
    }

    public string Extension { get; }

    public int Port { get; }

    public string ContactUri => $"sip:{Extension}@127.0.0.1:{Port};transport=tls";

    public Socket Media { get; }

    public LocalMediaOptions LocalMedia => new()
    {
        Address = "127.0.0.1",
        RtpPort = ((IPEndPoint)Media.LocalEndPoint!).Port,
        SessionId = 1,
        SessionVersion = (ulong)Interlocked.Increment(ref _cseq),
        Suites = [SrtpSuite.AesCm128HmacSha1Tag80, SrtpSuite.AeadAes128Gcm],
    };

    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _ssl.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await _ssl.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async Task SendAsync(SipMessage message, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>();
        SipMessageWriter.Write(output, message);
        await SendAsync(Encoding.UTF8.GetString(output.WrittenSpan), cancellationToken);
    }

    /// <summary>The next message that matches, in arrival order; messages that do not match are kept for later calls.</summary>
    public async Task<T> NextAsync<T>(Func<T, bool> match, CancellationToken cancellationToken)
        where T : SipMessage
    {
        lock (_held)
        {
            var index = _held.FindIndex(m => m is T t && match(t));
            if (index >= 0)
            {
                var found = (T)_held[index];
                _held.RemoveAt(index);
                return found;
            }
        }

        while (true)
        {
            var message = await _inbox.Reader.ReadAsync(cancellationToken);
            if (message is T t && match(t))
            {
                return t;
            }

            lock (_held)
            {
                _held.Add(message);
            }
        }
    }

    public Task<SipResponse> ResponseAsync(string callId, string method, int status, CancellationToken cancellationToken) =>
        NextAsync<SipResponse>(r => r.CallId == callId && r.StatusCode == status && r.TryGetCSeq(out var cseq) && cseq.Method.SequenceEqual(Encoding.ASCII.GetBytes(method)), cancellationToken);

    public Task<SipRequest> RequestAsync(string method, CancellationToken cancellationToken) =>
        NextAsync<SipRequest>(r => r.MethodName == method, cancellationToken);

    /// <summary>Any message already received that matches (without waiting).</summary>
    public bool HasReceived<T>(Func<T, bool> match)
        where T : SipMessage
    {
        while (_inbox.Reader.TryRead(out var message))
        {
            lock (_held)
            {
                _held.Add(message);
            }
        }

        lock (_held)
        {
            return _held.Exists(m => m is T t && match(t));
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var callId = $"ping-{Guid.NewGuid():N}";
        await SendAsync(Request("OPTIONS", "sip:127.0.0.1:5061", callId, From("x"), "<sip:127.0.0.1>", 1), cancellationToken);
        await ResponseAsync(callId, "OPTIONS", 200, cancellationToken);
    }

    /// <summary>Calls <paramref name="to"/> with an SRTP offer of this phone's own.</summary>
    public async Task<PhoneDialog> InviteAsync(string to, CancellationToken cancellationToken, SdesOffer? offer = null, string? sdp = null)
    {
        offer ??= SdesOfferAnswer.CreateOffer(LocalMedia);
        var dialog = new PhoneDialog($"{Guid.NewGuid():N}@phone", From(Tag()), $"<sip:{to}@127.0.0.1>", $"sip:{to}@127.0.0.1:5061", offer);
        dialog.InviteBranch = Branch();
        await SendAsync(Request("INVITE", dialog.RemoteTarget, dialog.CallId, dialog.Local, dialog.Remote, 1, ContactUri, sdp ?? SdpWriter.Write(offer.Offer), dialog.InviteBranch), cancellationToken);
        return dialog;
    }

    /// <summary>The switch's 200 to our INVITE: remember its tag and target, take its SDP answer, ACK it (RFC 3261 §13.2.2.4).</summary>
    public async Task<NegotiatedMedia> CompleteAsync(PhoneDialog dialog, CancellationToken cancellationToken)
    {
        var ok = await ResponseAsync(dialog.CallId, "INVITE", 200, cancellationToken);
        dialog.Remote = $"{dialog.Remote};tag={ok.ToTag}";
        Assert.True(SdpReader.TryRead(ok.Body, out var answer, out _));
        var accepted = SdesOfferAnswer.AcceptAnswer(dialog.Offer!, answer);
        Assert.True(accepted.IsAcceptable, accepted.NotAcceptableReason);
        await SendAsync(Request("ACK", dialog.RemoteTarget, dialog.CallId, dialog.Local, dialog.Remote, 1), cancellationToken);
        return accepted.Media!;
    }

    /// <summary>Rings, then answers the switch's INVITE with an SDP answer of this phone's own; returns the dialog and media.</summary>
    public async Task<(PhoneDialog Dialog, NegotiatedMedia Media)> AnswerAsync(CancellationToken cancellationToken)
    {
        var invite = await RequestAsync("INVITE", cancellationToken);
        var dialog = await RingAsync(invite, cancellationToken);
        var media = await AcceptAsync(invite, dialog, cancellationToken);
        return (dialog, media);
    }

    public async Task<PhoneDialog> RingAsync(SipRequest invite, CancellationToken cancellationToken)
    {
        invite.TryGetHeader(KnownHeader.From, out var from);
        invite.TryGetHeader(KnownHeader.To, out var to);
        var tag = Tag();
        var dialog = new PhoneDialog(invite.CallId, $"{Encoding.UTF8.GetString(to)};tag={tag}", Encoding.UTF8.GetString(from), "sip:switch@127.0.0.1:5061;transport=tls", null)
        {
            LocalTag = tag,
        };
        await SendAsync(Response(invite, 180, tag), cancellationToken);
        return dialog;
    }

    public async Task<NegotiatedMedia> AcceptAsync(SipRequest invite, PhoneDialog dialog, CancellationToken cancellationToken)
    {
        Assert.True(SdpReader.TryRead(invite.Body, out var offer, out _));
        var answer = SdesOfferAnswer.Answer(offer, LocalMedia);
        Assert.True(answer.IsAcceptable, answer.NotAcceptableReason);
        await SendAsync(Response(invite, 200, dialog.LocalTag!, SdpWriter.Write(answer.Answer!)), cancellationToken);
        return answer.Media!;
    }

    /// <summary>A request in <paramref name="dialog"/> with the next CSeq (RFC 3261 §12.2.1.1).</summary>
    public string InDialog(string method, PhoneDialog dialog, string? sdp = null, string? headers = null)
    {
        dialog.CSeq++;
        return Request(method, dialog.RemoteTarget, dialog.CallId, dialog.Local, dialog.Remote, dialog.CSeq, method == "INVITE" ? ContactUri : null, sdp, headers: headers);
    }

    /// <summary>RFC 3515: REFER in <paramref name="dialog"/> with one Refer-To.</summary>
    public string Refer(PhoneDialog dialog, string referTo) => InDialog("REFER", dialog, headers: $"Refer-To: {referTo}\r\n");

    /// <summary>A 200 to a request the switch sent (a NOTIFY, a BYE), with no To tag of ours to add.</summary>
    public Task OkAsync(SipRequest request, CancellationToken cancellationToken) => SendAsync(Response(request, 200, Tag()), cancellationToken);

    public string Response(SipRequest request, int status, string toTag, string? sdp = null)
    {
        var headers = new StringBuilder();
        for (var i = 0; i < request.HeaderCount; i++)
        {
            var entry = request.GetHeaderEntry(i);
            var value = Encoding.UTF8.GetString(request.GetHeaderValue(i));
            switch (entry.Id)
            {
                case KnownHeader.Via or KnownHeader.From or KnownHeader.CallId or KnownHeader.CSeq:
                    headers.Append(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetString(request.GetHeaderName(i))}: {value}\r\n");
                    break;
                case KnownHeader.To:
                    headers.Append(CultureInfo.InvariantCulture, $"To: {value}{(request.ToTag.Length == 0 ? $";tag={toTag}" : "")}\r\n");
                    break;
                default:
                    break;
            }
        }

        headers.Append(CultureInfo.InvariantCulture, $"Contact: <{ContactUri}>\r\n");
        return $"SIP/2.0 {status} Whatever\r\n{headers}{Body(sdp)}";
    }

    public string Request(
        string method, string uri, string callId, string from, string to, int cseq, string? contact = null, string? sdp = null, string? branch = null, int? viaPort = null,
        string? headers = null) =>
        $"{method} {uri} SIP/2.0\r\n" +
        $"Via: SIP/2.0/TLS 127.0.0.1:{viaPort ?? Port};branch={branch ?? Branch()}\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: {from}\r\n" +
        $"To: {to}\r\n" +
        $"Call-ID: {callId}\r\n" +
        $"CSeq: {cseq} {method}\r\n" +
        (contact is null ? "" : $"Contact: <{contact}>\r\n") +
        headers +
        Body(sdp);

    /// <summary>Sends 20 ms of PCMU protected with <paramref name="media"/>'s key of ours, to the switch's port for this leg.</summary>
    public async Task SendAudioAsync(NegotiatedMedia media, SrtpContext outbound, ushort sequence, byte fill, CancellationToken cancellationToken)
    {
        var packet = new byte[12 + 160 + 64];
        packet[0] = 0x80;
        packet[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234_0000u + (uint)Port);
        packet.AsSpan(12, 160).Fill(fill);
        Assert.Equal(SrtpStatus.Ok, outbound.ProtectRtp(packet, 172, out var length));
        await Media.SendToAsync(packet.AsMemory(0, length), new IPEndPoint(IPAddress.Parse(media.RemoteAddress), media.RemoteRtpPort), cancellationToken);
    }

    /// <summary>
    /// Talks as a handset does, a 20 ms packet every 20 ms, until <paramref name="listener"/> hears one that authenticates
    /// under <paramref name="listenerInbound"/>. This is what "audio flows" means right after the switch re-points a bridge
    /// (a transfer target answering): the relay thread takes the new side on its next round, and a single packet sent in
    /// that moment still goes to the old side, as it would from a real phone.
    /// </summary>
    public async Task<(byte[] Payload, uint Ssrc, ushort Sequence)> TalkUntilHeardAsync(
        NegotiatedMedia media, SrtpContext outbound, ushort firstSequence, byte fill, TestPhone listener, SrtpContext listenerInbound,
        CancellationToken cancellationToken)
    {
        var heard = listener.ReceiveAudioAsync(listenerInbound, cancellationToken);
        var sequence = firstSequence;
        while (!heard.IsCompleted)
        {
            await SendAudioAsync(media, outbound, sequence++, fill, cancellationToken);
            await Task.WhenAny(heard, Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken));
        }

        return await heard;
    }

    /// <summary>
    /// This phone and <paramref name="other"/> each talk until the other hears them, each with its own leg's keys, and each
    /// hears exactly what the other said: audio flows both ways through the switch.
    /// </summary>
    public async Task ConverseAsync(NegotiatedMedia media, TestPhone other, NegotiatedMedia otherMedia, CancellationToken cancellationToken)
    {
        using var mineOut = media.LocalCrypto.CreateContext();
        using var mineIn = media.RemoteCrypto.CreateContext();
        using var otherOut = otherMedia.LocalCrypto.CreateContext();
        using var otherIn = otherMedia.RemoteCrypto.CreateContext();
        var fill = (byte)Random.Shared.Next(1, 255);
        var sequence = (ushort)Random.Shared.Next(1, 30000);

        var atOther = await TalkUntilHeardAsync(media, mineOut, sequence, fill, other, otherIn, cancellationToken);
        var atMe = await other.TalkUntilHeardAsync(otherMedia, otherOut, sequence, (byte)(fill ^ 0xFF), this, mineIn, cancellationToken);

        Assert.All(atOther.Payload, b => Assert.Equal(fill, b));
        Assert.All(atMe.Payload, b => Assert.Equal((byte)(fill ^ 0xFF), b));
    }

    /// <summary>The next SRTP packet that authenticates under <paramref name="inbound"/>: its payload and SSRC.</summary>
    public async Task<(byte[] Payload, uint Ssrc, ushort Sequence)> ReceiveAudioAsync(SrtpContext inbound, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (true)
        {
            var received = await Media.ReceiveAsync(buffer, cancellationToken);
            var packet = buffer.AsSpan(0, received);
            if (inbound.UnprotectRtp(packet, out var length) == SrtpStatus.Ok)
            {
                return (packet[12..length].ToArray(), BinaryPrimitives.ReadUInt32BigEndian(packet[8..]), BinaryPrimitives.ReadUInt16BigEndian(packet[2..]));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _ssl.DisposeAsync();
        Media.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _writing.Dispose();
    }

    private static string Body(string? sdp) =>
        sdp is null ? "Content-Length: 0\r\n\r\n" : $"Content-Type: application/sdp\r\nContent-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n{sdp}";

    private string From(string tag) => $"<sip:{Extension}@127.0.0.1>;tag={tag}";

    private static string Tag() => Guid.NewGuid().ToString("N")[..10];

    private static string Branch() => $"z9hG4bK{Guid.NewGuid():N}";

    private async Task ReadAsync()
    {
        var reader = PipeReader.Create(_ssl);
        var parser = new SipParser(SipFraming.Stream);
        var builder = new SipMessageBuilder();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var sequence = new SequenceReader<byte>(result.Buffer);
                while (parser.TryParse(ref sequence, builder, out _) == OperationStatus.Done)
                {
                    if (builder.TakeMessage() is { } message)
                    {
                        _inbox.Writer.TryWrite(message);
                    }
                }

                reader.AdvanceTo(sequence.Position, result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }
}
