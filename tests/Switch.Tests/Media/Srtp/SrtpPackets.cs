using System.Buffers.Binary;

namespace HostedPbx.Switch.Tests.Media.Srtp;

/// <summary>Builds plain RTP and RTCP packets for the SRTP tests.</summary>
internal static class SrtpPackets
{
    public const int Spare = 64;

    /// <summary>A 20 ms G.711 packet: 12-octet header, 160 octets of payload, and spare room for the tag.</summary>
    public static byte[] Rtp(ushort sequence, uint ssrc = 0x11223344, int payloadLength = 160, uint timestamp = 0)
    {
        var packet = new byte[12 + payloadLength + Spare];
        packet[0] = 0x80;
        packet[1] = 0x00;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp == 0 ? sequence * 160u : timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (var i = 0; i < payloadLength; i++)
        {
            packet[12 + i] = (byte)(sequence + i);
        }

        return packet;
    }

    public static int RtpLength(int payloadLength = 160) => 12 + payloadLength;

    /// <summary>A receiver report with one report block (RFC 3550 §6.4.2): 32 octets.</summary>
    public static byte[] Rtcp(uint ssrc = 0x11223344)
    {
        var packet = new byte[32 + Spare];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        for (var i = 8; i < 32; i++)
        {
            packet[i] = (byte)i;
        }

        return packet;
    }

    public const int RtcpLength = 32;
}
