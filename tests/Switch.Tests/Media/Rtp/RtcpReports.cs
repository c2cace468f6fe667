using System.Buffers.Binary;
using System.Text;

namespace HostedPbx.Switch.Tests.Media.Rtp;

/// <summary>RTCP packets as handsets send them, built octet by octet from RFC 3550 §6.4 and §6.5, with room to protect.</summary>
internal static class RtcpReports
{
    public const int Spare = 64;

    /// <summary>
    /// A compound packet (RFC 3550 §6.1): a receiver report with one report block about <paramref name="source"/>, then
    /// an SDES with the reporter's CNAME. Returns the buffer (with <see cref="Spare"/> room) and the packet's length.
    /// </summary>
    public static (byte[] Buffer, int Length) ReceiverReport(uint reporter, uint source, byte fractionLost, int cumulativeLost, uint jitter)
    {
        var buffer = new byte[256];
        // RFC 3550 §6.4.2: V=2, P=0, RC=1 | PT=201 | length 7 (32 octets) | SSRC of the reporter | one report block.
        buffer[0] = 0x81;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), reporter);
        WriteBlock(buffer.AsSpan(8), source, fractionLost, cumulativeLost, jitter);
        return (buffer, 32 + WriteCname(buffer.AsSpan(32), reporter));
    }

    /// <summary>A sender report (RFC 3550 §6.4.1) with its sender info and one report block, then an SDES.</summary>
    public static (byte[] Buffer, int Length) SenderReport(uint reporter, uint source, byte fractionLost, int cumulativeLost, uint jitter)
    {
        var buffer = new byte[256];
        buffer[0] = 0x81;
        buffer[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), 12);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), reporter);
        // Sender info: NTP timestamp (8), RTP timestamp (4), packet count (4), octet count (4).
        BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(8), 0xE7A1_0000_8000_0000UL);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(16), 160_000);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(20), 1000);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(24), 160_000);
        WriteBlock(buffer.AsSpan(28), source, fractionLost, cumulativeLost, jitter);
        return (buffer, 52 + WriteCname(buffer.AsSpan(52), reporter));
    }

    private static void WriteBlock(Span<byte> block, uint source, byte fractionLost, int cumulativeLost, uint jitter)
    {
        BinaryPrimitives.WriteUInt32BigEndian(block, source);
        // Fraction lost (8 bits) and the cumulative number lost (signed 24 bits) share one word.
        BinaryPrimitives.WriteUInt32BigEndian(block[4..], ((uint)fractionLost << 24) | ((uint)cumulativeLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(block[8..], 0x0001_0400);
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], jitter);
        BinaryPrimitives.WriteUInt32BigEndian(block[16..], 0xA100_8000);
        BinaryPrimitives.WriteUInt32BigEndian(block[20..], 0x0000_8000);
    }

    /// <summary>RFC 3550 §6.5: one chunk, CNAME item, null-terminated and padded to a 32-bit boundary.</summary>
    private static int WriteCname(Span<byte> sdes, uint reporter)
    {
        var cname = Encoding.ASCII.GetBytes("phone@192.0.2.10");
        var items = 2 + cname.Length + 1;
        var chunk = 4 + ((items + 3) / 4 * 4);
        sdes[0] = 0x81;
        sdes[1] = 202;
        BinaryPrimitives.WriteUInt16BigEndian(sdes[2..], (ushort)((4 + chunk) / 4 - 1));
        BinaryPrimitives.WriteUInt32BigEndian(sdes[4..], reporter);
        sdes[8] = 1;
        sdes[9] = (byte)cname.Length;
        cname.CopyTo(sdes[10..]);
        return 4 + chunk;
    }
}
