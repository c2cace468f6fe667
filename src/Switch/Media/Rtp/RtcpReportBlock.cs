using System.Buffers.Binary;

namespace HostedPbx.Switch.Media.Rtp;

/// <summary>
/// One reception report block of an RTCP sender or receiver report (RFC 3550 §6.4.1): how the reporter received the
/// stream of <see cref="Ssrc"/>. <see cref="FractionLost"/> is the loss since the previous report, in 256ths;
/// <see cref="Jitter"/> the interarrival jitter estimate, in that stream's RTP timestamp units.
/// </summary>
public readonly record struct RtcpReportBlock(uint Ssrc, byte FractionLost, int CumulativeLost, uint Jitter)
{
    /// <summary>SSRC, fraction lost + cumulative lost, highest sequence, jitter, LSR, DLSR (RFC 3550 §6.4.1).</summary>
    public const int Length = 24;

    private const byte SenderReport = 200;
    private const byte ReceiverReport = 201;

    /// <summary>
    /// The first report block of the first SR or RR in a compound RTCP packet (already unprotected); false when there is
    /// none (an SR or RR with RC = 0, or only other packet types) or the packet is cut short. Never throws on peer input.
    /// </summary>
    public static bool TryReadFirst(ReadOnlySpan<byte> compound, out RtcpReportBlock block)
    {
        block = default;
        while (compound.Length >= RtcpPacket.HeaderLength)
        {
            // RFC 3550 §6.4.1: V=2, P, RC (5 bits) | PT | length in 32-bit words minus one.
            if (compound[0] >> 6 != 2)
            {
                return false;
            }

            var count = compound[0] & 0x1f;
            var type = compound[1];
            var length = (BinaryPrimitives.ReadUInt16BigEndian(compound[2..]) + 1) * 4;
            if (length > compound.Length)
            {
                return false;
            }

            // The report blocks follow the sender's SSRC (RR) or its 20-octet sender info (SR, RFC 3550 §6.4.1).
            var blocks = type switch
            {
                ReceiverReport => 8,
                SenderReport => 28,
                _ => -1,
            };
            if (blocks > 0 && count > 0 && blocks + Length <= length)
            {
                var b = compound.Slice(blocks, Length);
                // Cumulative lost is a signed 24-bit count (RFC 3550 §6.4.1: duplicates can make it negative).
                var cumulative = (b[5] << 16) | (b[6] << 8) | b[7];
                if ((cumulative & 0x800000) != 0)
                {
                    cumulative -= 0x1000000;
                }

                block = new RtcpReportBlock(BinaryPrimitives.ReadUInt32BigEndian(b), b[4], cumulative, BinaryPrimitives.ReadUInt32BigEndian(b[12..]));
                return true;
            }

            compound = compound[length..];
        }

        return false;
    }
}
