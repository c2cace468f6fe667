using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HostedPbx.Switch.LoadTool.Measuring;
using HostedPbx.Switch.Media.Rtp;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>
/// One end of a call's media: a UDP socket on loopback (rtcp-mux, so one port), the SRTP contexts from its leg's SDES
/// keys, a sender the pacer drives (20 ms G.711 frames) and a receive callback (<see cref="OnDatagram"/>) that unprotects and counts. Allocates
/// nothing per packet, so the tool's own GC does not disturb the timing it measures.
/// </summary>
internal sealed class MediaEndpoint : IDisposable
{
    private const int HeaderLength = 12;
    private static readonly long s_ticksPerRtpUnit = Stopwatch.Frequency / 8000;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _sendBuffer = new byte[256];
    private readonly byte[] _payload;
    private readonly SrtpSuite _suite;
    private readonly uint _ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
    private SrtpContext? _inbound;
    private SrtpContext? _outbound;
    private SocketAddress? _destination;
    private ushort _sequence = (ushort)Random.Shared.Next(0, 65536);
    private uint _timestamp = (uint)Random.Shared.NextInt64(0, uint.MaxValue);
    private SequenceTracker _tracker;
    private InterarrivalJitter _jitter;

    public MediaEndpoint(byte[] payload, SrtpSuite suite)
    {
        _payload = payload;
        _suite = suite;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // Room for bursts while the tool and the switch share two cores.
        _socket.ReceiveBufferSize = 256 * 1024;
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>The endpoint's socket, read by the <see cref="MediaReceiver"/>.</summary>
    public System.Net.Sockets.Socket Socket => _socket;

    public long Sent { get; private set; }

    public long SendErrors { get; private set; }

    public long AuthFailures { get; private set; }

    public long RtcpReceived { get; private set; }

    public long Received => _tracker.Received;

    public long GapLoss => _tracker.Lost;

    /// <summary>RFC 3550 interarrival jitter in milliseconds.</summary>
    public double JitterMs => _jitter.Value / 8.0;

    public bool IsReady => _outbound is not null;

    /// <summary>
    /// When set, every frame sent carries its send time (a <see cref="Stopwatch"/> timestamp in the first 8 bytes of
    /// the payload, under SRTP like the rest), and every frame received adds its transit time here. Both ends of a
    /// call run in this process, so the two clocks are one. Not with a real peer, whose audio must stay a tone.
    /// </summary>
    public TransitHistogram? Transit { get; init; }

    /// <summary>When set, the decrypted G.711 payload of every packet is kept here (for the one call to a real peer, never under load).</summary>
    public List<byte>? Capture { get; set; }

    /// <summary>What this side sends to the media address of its leg.</summary>
    public LocalMediaOptions Local() => new()
    {
        Address = "127.0.0.1",
        RtpPort = Port,
        SessionId = (ulong)Random.Shared.NextInt64(1, int.MaxValue),
        SessionVersion = 1,
        Suites = [_suite],
        Codecs = [SdpRtpMap.Pcmu],
        RtcpMux = true,
    };

    /// <summary>Takes the keys and the far address from the finished offer/answer (a <see cref="MediaReceiver"/> reads the socket).</summary>
    public void Start(NegotiatedMedia media)
    {
        _inbound = media.CreateInboundContext();
        _outbound = media.CreateOutboundContext();
        _destination = new IPEndPoint(IPAddress.Parse(media.RemoteAddress), media.RemoteRtpPort).Serialize();
    }

    /// <summary>Sends the next 20 ms frame (RFC 3550 §5.1 header, PT 0, timestamp + 160), protected with this leg's key.</summary>
    public void SendFrame()
    {
        var packet = _sendBuffer.AsSpan();
        packet[0] = 0x80;
        packet[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], _timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], _ssrc);
        _timestamp += 160;
        _payload.CopyTo(packet[HeaderLength..]);
        if (Transit is not null)
        {
            BinaryPrimitives.WriteInt64LittleEndian(packet[HeaderLength..], Stopwatch.GetTimestamp());
        }

        if (_outbound!.ProtectRtp(packet, HeaderLength + _payload.Length, out var length) != SrtpStatus.Ok)
        {
            SendErrors++;
            return;
        }

        try
        {
            _socket.SendTo(packet[..length], SocketFlags.None, _destination!);
            Sent++;
        }
        catch (SocketException)
        {
            SendErrors++;
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _inbound?.Dispose();
        _outbound?.Dispose();
    }

    /// <summary>One datagram from the switch, read by the <see cref="MediaReceiver"/> at <paramref name="arrivalTicks"/>.</summary>
    public void OnDatagram(Span<byte> datagram, long arrivalTicks)
    {
        var arrival = arrivalTicks / s_ticksPerRtpUnit;
        if (RtcpPacket.IsRtcp(datagram))
        {
            // RFC 5761: a peer's SRTCP reports come in on the muxed port; they count apart from the audio.
            if (_inbound!.UnprotectRtcp(datagram, out _) == SrtpStatus.Ok)
            {
                RtcpReceived++;
            }
            else
            {
                AuthFailures++;
            }

            return;
        }

        if (_inbound is null || _inbound.UnprotectRtp(datagram, out var length) != SrtpStatus.Ok)
        {
            AuthFailures++;
            return;
        }

        Capture?.AddRange(datagram.Slice(HeaderLength, Math.Max(0, length - HeaderLength)));
        if (Transit is not null && length >= HeaderLength + sizeof(long))
        {
            Transit.Add(arrivalTicks - BinaryPrimitives.ReadInt64LittleEndian(datagram[HeaderLength..]));
        }

        _tracker.Add(BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        _jitter.Add(BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]), arrival);
    }
}
