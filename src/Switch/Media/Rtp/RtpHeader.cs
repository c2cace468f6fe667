using System.Buffers.Binary;

namespace HostedPbx.Switch.Media.Rtp;

/// <summary>A zero-copy view over the fixed header, CSRC list and header extension of an RTP packet (RFC 3550 §5.1).</summary>
public readonly ref struct RtpHeader
{
    public const int FixedLength = 12;

    private readonly ReadOnlySpan<byte> _packet;

    private RtpHeader(ReadOnlySpan<byte> packet, int length)
    {
        _packet = packet;
        Length = length;
    }

    public int Version => _packet[0] >> 6;

    public bool HasPadding => (_packet[0] & 0x20) != 0;

    public bool HasExtension => (_packet[0] & 0x10) != 0;

    public int CsrcCount => _packet[0] & 0x0F;

    public bool Marker => (_packet[1] & 0x80) != 0;

    public int PayloadType => _packet[1] & 0x7F;

    public ushort SequenceNumber => BinaryPrimitives.ReadUInt16BigEndian(_packet[2..]);

    public uint Timestamp => BinaryPrimitives.ReadUInt32BigEndian(_packet[4..]);

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_packet[8..]);

    /// <summary>Octets before the payload: fixed header, CSRC list and header extension.</summary>
    public int Length { get; }

    /// <summary>Reads the header; false when the packet is not RTP version 2 or is shorter than its header claims.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        // RFC 3550 §5.1: CC 32-bit CSRC identifiers follow the fixed header.
        var length = FixedLength + ((packet[0] & 0x0F) * 4);
        if (packet.Length < length)
        {
            return false;
        }

        if ((packet[0] & 0x10) != 0)
        {
            // RFC 3550 §5.3.1: 16-bit profile field, 16-bit length in 32-bit words, excluding this 4-octet header.
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]) * 4);
            if (packet.Length < length)
            {
                return false;
            }
        }

        header = new RtpHeader(packet, length);
        return true;
    }
}
