using System.Buffers.Binary;

namespace HostedPbx.Switch.Media.Rtp;

/// <summary>What the relay needs to know about RTCP: telling it apart from RTP on a muxed port, and its sender.</summary>
public static class RtcpPacket
{
    /// <summary>Version/count octet, packet type, length and sender SSRC (RFC 3550 §6.4.1).</summary>
    public const int HeaderLength = 8;

    /// <summary>
    /// True when a datagram on an rtcp-mux port is RTCP. RFC 5761 §4: the second octet of RTCP is its packet type,
    /// and RTP payload types are kept out of 64-95 so that, with the marker bit, the octet never falls in 192-223.
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> packet) =>
        packet.Length >= HeaderLength && packet[0] >> 6 == 2 && packet[1] is >= 192 and <= 223;

    /// <summary>The SSRC of the sender of the first packet in a compound RTCP packet.</summary>
    public static uint ReadSenderSsrc(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
}
