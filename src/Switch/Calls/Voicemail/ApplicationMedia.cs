using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HostedPbx.Switch.Calls.Applications;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Rtp;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// The media end of an application leg (the mailbox, and retrieval): it plays queued audio as G.711 in 20 ms SRTP
/// packets paced by the <see cref="TimeProvider"/>, and it reads what the caller sends: RFC 4733 digits to
/// <c>onDigit</c>, decoded audio to the <see cref="Sink"/> when one is set. Its sockets are a port pair of its own or
/// the unstarted side A of the call's bridge (the caller was answered there).
/// </summary>
internal sealed class ApplicationMedia : IDisposable
{
    private const int SamplesPerPacket = Prompt.SampleRate / 50;

    private readonly RelaySocketPair _socket;
    private readonly bool _ownsSocket;
    private readonly TimeProvider _time;
    private readonly Action<char> _onDigit;
    private readonly SrtpContext? _inbound;
    private readonly SrtpContext? _outbound;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Queue<(short[] Samples, TaskCompletionSource Played)> _queue = [];
    private readonly byte[] _packet = new byte[RtpHeader.FixedLength + SamplesPerPacket + 64];
    private readonly uint _ssrc = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private readonly int _payloadType;
    private readonly bool _aLaw;
    private readonly int? _eventPayloadType;
    private readonly TelephoneEventReceiver _events = new();
    private readonly ApplicationDrops _drops;
    private IPEndPoint _destination;
    private ITimer? _pacer;
    private int _offset;
    private uint _timestamp;
    private ushort _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
    private bool _first = true;
    private bool _stopped;
    private bool _receiving;
    private long _clock;
    private long _ticks;

    public ApplicationMedia(RelaySocketPair socket, bool ownsSocket, NegotiatedMedia media, TimeProvider time, Action<char> onDigit, ApplicationDrops? drops = null)
    {
        _drops = drops ?? new ApplicationDrops();
        _socket = socket;
        _ownsSocket = ownsSocket;
        _time = time;
        _onDigit = onDigit;
        // Issue 11: a plain trunk's leg (a recording announcement played to the carrier) has no keys: RTP/AVP as it is.
        _inbound = media.IsPlain ? null : media.CreateInboundContext();
        _outbound = media.IsPlain ? null : media.CreateOutboundContext();
        var codec = media.Codecs[0];
        _payloadType = codec.PayloadType;
        _aLaw = codec.SameCodecAs(SdpRtpMap.Pcma);
        _eventPayloadType = media.TelephoneEventPayloadType;
        _destination = new IPEndPoint(IPAddress.TryParse(media.RemoteAddress, out var address) ? address : IPAddress.Loopback, media.RemoteRtpPort);
    }

    /// <summary>Where the caller's decoded audio goes; null while nobody listens (the greeting is playing).</summary>
    public IAudioSink? Sink { get; set; }

    public void Start()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _receiving = true;
            _clock = _time.GetTimestamp();
        }

        _ = ReceiveAsync();
        _pacer = _time.CreateTimer(static s => ((ApplicationMedia)s!).SendNext(), this, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));
    }

    /// <summary>Queues <paramref name="samples"/>; completes once they have all been sent, or playing stopped.</summary>
    public Task PlayAsync(short[] samples)
    {
        var played = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stopped || samples.Length == 0)
            {
                played.TrySetResult();
            }
            else
            {
                _queue.Enqueue((samples, played));
            }
        }

        return played.Task;
    }

    /// <summary>Drops whatever is still queued (a digit cuts a prompt short); each pending play completes.</summary>
    public void StopPlaying()
    {
        lock (_gate)
        {
            while (_queue.TryDequeue(out var item))
            {
                item.Played.TrySetResult();
            }

            _offset = 0;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        StopPlaying();
        _pacer?.Dispose();
        _stop.Cancel();
        if (_ownsSocket)
        {
            _socket.Dispose();
        }

        // The receive loop disposes the inbound context itself once it has stopped using it.
        if (!_receiving)
        {
            _inbound?.Dispose();
        }

        lock (_gate)
        {
            _outbound?.Dispose();
        }
    }

    // One 20 ms packet per tick (RFC 3551 §4.5: 160 samples of G.711 at 8 kHz), and the ones a late tick owes, so a
    // prompt lasts its own length however busy the machine; nothing is sent (or owed) while nothing is queued.
    private void SendNext()
    {
        int due;
        lock (_gate)
        {
            if (_stopped || _queue.Count == 0)
            {
                _clock = _time.GetTimestamp();
                _ticks = 0;
                return;
            }

            due = (int)Math.Clamp((long)(_time.GetElapsedTime(_clock).TotalMilliseconds / 20) - _ticks, 1, 25);
        }

        for (var i = 0; i < due; i++)
        {
            SendPacket();
        }
    }

    private void SendPacket()
    {
        TaskCompletionSource? done = null;
        lock (_gate)
        {
            if (_stopped || !_queue.TryPeek(out var item))
            {
                return;
            }

            _ticks++;

            var count = Math.Min(SamplesPerPacket, item.Samples.Length - _offset);
            _packet[0] = 0x80;

            // RFC 3551 §4.1: the marker bit on the first packet of a talkspurt.
            _packet[1] = (byte)(_payloadType | (_first ? 0x80 : 0));
            _first = false;
            BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), _sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), _timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), _ssrc);
            for (var i = 0; i < count; i++)
            {
                var sample = item.Samples[_offset + i];
                _packet[RtpHeader.FixedLength + i] = _aLaw ? G711.EncodeALaw(sample) : G711.EncodeMuLaw(sample);
            }

            _timestamp += (uint)count;
            _offset += count;
            if (_offset >= item.Samples.Length)
            {
                _queue.Dequeue();
                _offset = 0;
                done = item.Played;
            }

            var length = RtpHeader.FixedLength + count;
            if (_outbound is null || _outbound.ProtectRtp(_packet, RtpHeader.FixedLength + count, out length) == SrtpStatus.Ok)
            {
                try
                {
                    _socket.Rtp.SendTo(_packet.AsSpan(0, length), SocketFlags.None, _destination);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
            }
        }

        done?.TrySetResult();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        var samples = new short[2048];
        var source = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _socket.Rtp.ReceiveFromAsync(buffer, SocketFlags.None, source, _stop.Token);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
                {
                    // Windows reports a datagram larger than the buffer as an error: dropped, and the loop goes on.
                    _drops.OnOversized();
                    continue;
                }

                if (received.ReceivedBytes >= buffer.Length)
                {
                    // Linux hands over the first 2 KB of a larger datagram, cut: no 20 ms packet is that long. Dropped unread.
                    _drops.OnOversized();
                    continue;
                }

                Receive(buffer.AsSpan(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, samples);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _inbound?.Dispose();
        }
    }

    private void Receive(Span<byte> packet, IPEndPoint source, short[] samples)
    {
        // Only what authenticates under the caller's key counts (RFC 3711 §3.3); anything else is dropped unread.
        var length = packet.Length;
        if ((_inbound is not null && _inbound.UnprotectRtp(packet, out length) != SrtpStatus.Ok) || !RtpHeader.TryRead(packet[..length], out var header))
        {
            _drops.OnUnauthenticated();
            return;
        }

        lock (_gate)
        {
            // Symmetric RTP (RFC 4961): send where the caller's authentic packets come from.
            _destination = source;
        }

        var payload = packet[header.Length..length];
        if (header.PayloadType == _eventPayloadType)
        {
            // RFC 4733 §2.5.1: a digit per event, however many packets carry it.
            if (_events.Receive(header.Timestamp, payload) is { } digit)
            {
                _onDigit(digit);
            }
        }
        else if (Sink is { } sink && (header.PayloadType is 0 or 8) && payload.Length <= samples.Length)
        {
            // G.711 (RFC 3551 §4.5.14): µ-law is payload type 0, A-law 8; each octet one sample.
            var aLaw = header.PayloadType == 8;
            for (var i = 0; i < payload.Length; i++)
            {
                samples[i] = aLaw ? G711.DecodeALaw(payload[i]) : G711.DecodeMuLaw(payload[i]);
            }

            sink.Write(samples.AsSpan(0, payload.Length));
        }
        else if (header.PayloadType != _payloadType && header.PayloadType != 13)
        {
            // A payload type the offer and answer did not agree on (RFC 3264 §5.1): never decoded. 13 is comfort noise.
            _drops.OnUnnegotiated();
        }
    }
}
