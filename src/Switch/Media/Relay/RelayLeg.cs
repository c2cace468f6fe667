using System.Net;
using HostedPbx.Switch.Media.Rtp;
using HostedPbx.Switch.Media.Sdp;
using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// The socket-free core of one side of an SRTP-to-SRTP relay. A datagram that arrives from this leg is unprotected with
/// the leg's inbound context and protected in place with the other leg's outbound context. Symmetric RTP: the leg
/// latches to the source of the first packet that authenticates, and from then on sends there and accepts only that
/// source. What goes out toward the peer carries the leg's own <see cref="OutboundStream"/> (SSRC and index). The relay
/// engine calls <c>Relay</c> for both legs of a call from one thread, so no context is ever used concurrently.
/// </summary>
public sealed class RelayLeg : IDisposable
{
    private readonly SrtpContext? _inbound;
    private readonly SrtpContext? _outbound;
    private readonly bool _rtcpMux;
    private readonly SocketAddress? _signalledRtp;
    private readonly SocketAddress? _signalledRtcp;
    private SocketAddress? _latchedRtp;
    private SocketAddress? _latchedRtcp;
    private readonly RtcpReception _reception;
    private OutboundStream _stream = OutboundStream.Create();
    private long _received;
    private long _relayed;
    private long _authFailures;
    private long _replays;
    private long _malformed;
    private long _wrongSource;

    /// <param name="inbound">Unprotects what the leg's peer sends (the peer's SDES key); null on a plain trunk's leg (issue 11).</param>
    /// <param name="outbound">Protects what the switch sends to the peer (our SDES key); null on a plain trunk's leg.</param>
    /// <param name="rtcpMux">RTP and RTCP share one port (RFC 5761); RTCP is told apart by its packet type.</param>
    /// <param name="signalledRtp">The peer's address from SDP, used until the leg latches; null if unknown.</param>
    /// <param name="signalledRtcp">The peer's RTCP address from SDP; ignored with rtcp-mux.</param>
    /// <param name="clockRate">The RTP clock rate of the call's codec: the unit of the jitter the peer reports.</param>
    public RelayLeg(SrtpContext? inbound, SrtpContext? outbound, bool rtcpMux, SocketAddress? signalledRtp, SocketAddress? signalledRtcp, int clockRate = 8000)
    {
        _reception = new RtcpReception(clockRate);
        _inbound = inbound;
        _outbound = outbound;
        _rtcpMux = rtcpMux;
        _signalledRtp = signalledRtp;
        _signalledRtcp = rtcpMux ? signalledRtp : signalledRtcp;
    }

    /// <summary>A leg from a finished offer/answer: contexts from both SDES keys, first destination from the peer's SDP.</summary>
    public static RelayLeg FromNegotiated(NegotiatedMedia media)
    {
        SocketAddress? rtp = null;
        SocketAddress? rtcp = null;
        if (IPAddress.TryParse(media.RemoteAddress, out var address))
        {
            rtp = new IPEndPoint(address, media.RemoteRtpPort).Serialize();
            rtcp = new IPEndPoint(address, media.RemoteRtcpPort).Serialize();
        }

        var clockRate = media.Codecs.FirstOrDefault(c => !c.IsTelephoneEvent)?.ClockRate ?? 8000;
        // Issue 11: a plain trunk's leg is relayed as RTP/AVP, decrypted or encrypted on the handset's side only.
        return media.IsPlain
            ? new RelayLeg(null, null, media.RtcpMux, rtp, rtcp, clockRate)
            : new RelayLeg(media.CreateInboundContext(), media.CreateOutboundContext(), media.RtcpMux, rtp, rtcp, clockRate);
    }

    /// <summary>Where RTP for this leg's peer goes: the latched source, else the SDP address.</summary>
    public SocketAddress? RtpDestination => _latchedRtp ?? _signalledRtp;

    public SocketAddress? RtcpDestination => _latchedRtcp ?? (_rtcpMux ? _latchedRtp : null) ?? _signalledRtcp;

    public bool IsLatched => _latchedRtp is not null;

    /// <summary>The octets protecting may add; receive buffers need this much room after the largest datagram.</summary>
    public int MaxOverhead => _outbound is null ? 0 : Math.Max(_outbound.SrtpOverhead, _outbound.SrtcpOverhead);

    public RelayLegCounters Counters => new(_received, _relayed, _authFailures, _replays, _malformed, _wrongSource);

    /// <summary>What the peer's RTCP reports said so far about the media it receives (issue 14 item 3).</summary>
    public RtcpReceptionTotals Reception => _reception.Totals;

    /// <summary>
    /// Relays a datagram that arrived from this leg's peer toward <paramref name="toward"/>. The datagram is
    /// <paramref name="buffer"/>[..<paramref name="length"/>]; the buffer needs <see cref="MaxOverhead"/> of the other
    /// leg spare after it. <paramref name="onRtcpPort"/> is true for the separate RTCP socket of a leg without rtcp-mux.
    /// </summary>
    public RelayResult Relay(Span<byte> buffer, int length, SocketAddress source, bool onRtcpPort, RelayLeg toward) =>
        Relay(buffer, length, source, onRtcpPort, toward, tap: null, fromA: false);

    /// <summary>The SSRC the switch sends to this leg's peer with.</summary>
    public uint OutboundSsrc => _stream.Ssrc;

    /// <summary>As above; <paramref name="tap"/>, when set, sees each decrypted RTP packet before it is re-encrypted.</summary>
    internal RelayResult Relay(Span<byte> buffer, int length, SocketAddress source, bool onRtcpPort, RelayLeg toward, IMediaTap? tap, bool fromA)
    {
        _received++;
        // RFC 5761 §4: with rtcp-mux, RTP and RTCP share the port and the packet type tells them apart.
        var isRtcp = onRtcpPort || (_rtcpMux && RtcpPacket.IsRtcp(buffer[..length]));
        var latched = isRtcp && !_rtcpMux ? _latchedRtcp : _latchedRtp;
        if (latched is not null && !SameAddress(latched, source))
        {
            _wrongSource++;
            return new RelayResult(RelayOutcome.WrongSource, IsRtcp: isRtcp);
        }

        var status = _inbound is null ? Plain(buffer[..length], isRtcp, out var plainLength)
            : isRtcp ? _inbound.UnprotectRtcp(buffer[..length], out plainLength) : _inbound.UnprotectRtp(buffer[..length], out plainLength);
        if (status != SrtpStatus.Ok)
        {
            return Refused(status, isRtcp);
        }

        if (latched is null)
        {
            // Symmetric RTP: the first authentic packet shows where the peer, behind its NAT, really is.
            var copy = Copy(source);
            if (isRtcp && !_rtcpMux)
            {
                _latchedRtcp = copy;
            }
            else
            {
                _latchedRtp = copy;
            }
        }

        if (!isRtcp)
        {
            tap?.OnAudio(fromA, buffer[..plainLength]);
        }
        else
        {
            // RFC 3550 §6.4: the peer's receiver report on what the switch sends it; read before the SSRCs are rewritten.
            _reception.Read(buffer[..plainLength]);
        }

        var destination = isRtcp ? toward.RtcpDestination : toward.RtpDestination;
        if (destination is null)
        {
            return new RelayResult(RelayOutcome.NoDestination, IsRtcp: isRtcp);
        }

        // Issue 12 item 5: the packet leaves as the switch's own stream, so no (SSRC, index) is protected twice.
        if (isRtcp)
        {
            toward._stream.RewriteRtcp(buffer[..plainLength]);
        }
        else
        {
            toward._stream.RewriteRtp(buffer[..plainLength]);
        }

        var sendLength = plainLength;
        status = toward._outbound is null ? SrtpStatus.Ok
            : isRtcp ? toward._outbound.ProtectRtcp(buffer, plainLength, out sendLength) : toward._outbound.ProtectRtp(buffer, plainLength, out sendLength);
        if (status != SrtpStatus.Ok)
        {
            return Refused(status, isRtcp);
        }

        _relayed++;
        return new RelayResult(RelayOutcome.Forward, sendLength, destination, isRtcp);
    }

    /// <summary>Counts a datagram the engine dropped before it reached <c>Relay</c> (longer than the buffer).</summary>
    internal void CountTooLong()
    {
        _received++;
        _malformed++;
    }

    public void Dispose()
    {
        _inbound?.Dispose();
        _outbound?.Dispose();
    }

    /// <summary>
    /// RFC 3550 §5.1, §6.4.1: a plain packet is taken as it is once it has a version-2 header (12 octets for RTP, 8 for
    /// RTCP); there is no authentication to fail, which is why plain RTP is only for a trunk the operator named.
    /// </summary>
    private static SrtpStatus Plain(ReadOnlySpan<byte> packet, bool isRtcp, out int length)
    {
        length = packet.Length;
        return packet.Length >= (isRtcp ? 8 : 12) && packet[0] >> 6 == 2 ? SrtpStatus.Ok : SrtpStatus.Malformed;
    }

    private RelayResult Refused(SrtpStatus status, bool isRtcp)
    {
        var outcome = status switch
        {
            SrtpStatus.AuthFailed => RelayOutcome.AuthFailed,
            SrtpStatus.Replayed => RelayOutcome.Replayed,
            SrtpStatus.Truncated or SrtpStatus.Malformed or SrtpStatus.BufferTooSmall => RelayOutcome.Malformed,
            SrtpStatus.Ok => throw new ArgumentOutOfRangeException(nameof(status), status, null),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
        switch (outcome)
        {
            case RelayOutcome.AuthFailed:
                _authFailures++;
                break;
            case RelayOutcome.Replayed:
                _replays++;
                break;
            default:
                _malformed++;
                break;
        }

        return new RelayResult(outcome, IsRtcp: isRtcp);
    }

    /// <summary>Compares the first Size octets only: a reused SocketAddress may have a larger buffer than its address.</summary>
    private static bool SameAddress(SocketAddress a, SocketAddress b) =>
        a.Size == b.Size && a.Buffer.Span[..a.Size].SequenceEqual(b.Buffer.Span[..b.Size]);

    private static SocketAddress Copy(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }
}
