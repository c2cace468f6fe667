using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Calls.Applications;

/// <summary>
/// The announcement application: a callee inside the switch that answers at once over SRTP, plays one prompt as G.711
/// in 20 ms packets paced by the <see cref="TimeProvider"/>, and hangs up at its end. Its media endpoint is its own
/// port pair with an SRTP context pair from the SDES keys of the caller's answer; it does not use the relay.
/// </summary>
internal sealed class AnnouncementLeg : ApplicationLeg, IDisposable
{
    private const int SamplesPerPacket = Prompt.SampleRate / 50;
    private const int HeaderLength = 12;

    private readonly RelaySocketPair _socket;
    private readonly Prompt _prompt;
    private readonly TimeProvider _time;
    private readonly NegotiationResult _media;
    private readonly SrtpContext _inbound;
    private readonly SrtpContext _outbound;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly byte[] _packet = new byte[HeaderLength + SamplesPerPacket + 64];
    private readonly uint _ssrc = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private readonly int _payloadType;
    private readonly bool _aLaw;
    private IPEndPoint _destination;
    private ITimer? _pacer;
    private int _played;
    private ushort _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
    private bool _stopped;

    /// <summary>A leg that plays <paramref name="prompt"/>; <paramref name="media"/> is the caller's offer answered on the socket's port.</summary>
    public AnnouncementLeg(string party, Prompt prompt, RelaySocketPair socket, NegotiationResult media, TimeProvider time)
        : base(party)
    {
        _prompt = prompt;
        _socket = socket;
        _media = media;
        _time = time;
        var negotiated = media.Media!;
        _inbound = negotiated.CreateInboundContext();
        _outbound = negotiated.CreateOutboundContext();
        var codec = negotiated.Codecs[0];
        _payloadType = codec.PayloadType;
        _aLaw = codec.SameCodecAs(SdpRtpMap.Pcma);
        _destination = new IPEndPoint(IPAddress.TryParse(negotiated.RemoteAddress, out var address) ? address : IPAddress.Loopback, negotiated.RemoteRtpPort);
    }

    /// <summary>The announcement answers at once; its media is the caller's answer (there is no second offer/answer).</summary>
    public override void Invite(SdesOffer? offer)
    {
        Answer(_media);
        Call!.OnCalleeAnswered(this);
    }

    /// <summary>The caller has its 200: start listening (symmetric RTP, RFC 4961) and playing.</summary>
    public override void OnConnected()
    {
        _ = ReceiveAsync();
        _pacer = _time.CreateTimer(static s => ((AnnouncementLeg)s!).SendNext(), this, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));
    }

    public void Dispose() => Stop();

    /// <summary>An application leg has no signalling or device to describe; the record carries the caller's leg.</summary>
    public override CallLegRecord? Describe(CallRecord record, int position) => null;

    // One 20 ms packet per tick (RFC 3551 §4.5: 160 samples of G.711 at 8 kHz); the last tick hangs up.
    private void SendNext()
    {
        Call? call = null;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            if (_played >= _prompt.Samples.Length)
            {
                call = Call;
            }
            else
            {
                var count = Math.Min(SamplesPerPacket, _prompt.Samples.Length - _played);
                _packet[0] = 0x80;
                _packet[1] = (byte)(_payloadType | (_played == 0 ? 0x80 : 0));
                BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), _sequence++);
                BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), (uint)_played);
                BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), _ssrc);
                for (var i = 0; i < count; i++)
                {
                    var sample = _prompt.Samples[_played + i];
                    _packet[HeaderLength + i] = _aLaw ? G711.EncodeALaw(sample) : G711.EncodeMuLaw(sample);
                }

                _played += count;
                if (_outbound.ProtectRtp(_packet, HeaderLength + count, out var length) == SrtpStatus.Ok)
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
        }

        // The prompt is over: the application hangs up (outside the packet lock; the call takes its own).
        call?.OnApplicationDone(this);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        var source = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.Rtp.ReceiveFromAsync(buffer, SocketFlags.None, source, _stop.Token);
                lock (_gate)
                {
                    // Symmetric RTP: once a packet from the caller authenticates, send where it came from.
                    if (!_stopped && _inbound.UnprotectRtp(buffer.AsSpan(0, received.ReceivedBytes), out _) == SrtpStatus.Ok)
                    {
                        _destination = (IPEndPoint)received.RemoteEndPoint;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    protected override void Stop()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        _pacer?.Dispose();
        _stop.Cancel();
        _socket.Dispose();
        _inbound.Dispose();
        _outbound.Dispose();
        _stop.Dispose();
    }
}
