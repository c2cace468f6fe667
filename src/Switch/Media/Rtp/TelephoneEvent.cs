using System.Buffers.Binary;

namespace HostedPbx.Switch.Media.Rtp;

/// <summary>
/// One RFC 4733 named telephone event, the payload of a telephone-event RTP packet (RFC 4733 §2.3):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |     event     |E|R| volume    |          duration             |
/// </code>
/// </summary>
public readonly record struct TelephoneEvent(byte Code, bool End, int Volume, ushort Duration)
{
    public const int Length = 4;

    /// <summary>The DTMF digit of the event (RFC 4733 §3.2: 0-9, * is 10, # is 11, A-D are 12-15); null for other events.</summary>
    public char? Digit => Code switch
    {
        <= 9 => (char)('0' + Code),
        10 => '*',
        11 => '#',
        <= 15 => (char)('A' + Code - 12),
        _ => null,
    };

    /// <summary>Reads the first event of a payload; false when it is shorter than one event.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent telephoneEvent)
    {
        if (payload.Length < Length)
        {
            telephoneEvent = default;
            return false;
        }

        // RFC 4733 §2.3: E is the high bit of the second octet, R (reserved) the next, then a 6-bit volume.
        telephoneEvent = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, payload[1] & 0x3F, BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>Writes the event as a 4-octet payload (a sender's side, and the tests').</summary>
    public void Write(Span<byte> payload)
    {
        payload[0] = Code;
        payload[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(payload[2..], Duration);
    }

    /// <summary>The event code of a DTMF digit; null for anything else.</summary>
    public static byte? CodeOf(char digit) => digit switch
    {
        >= '0' and <= '9' => (byte)(digit - '0'),
        '*' => 10,
        '#' => 11,
        >= 'A' and <= 'D' => (byte)(digit - 'A' + 12),
        _ => null,
    };
}
