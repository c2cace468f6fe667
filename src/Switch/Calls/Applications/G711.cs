namespace HostedPbx.Switch.Calls.Applications;

/// <summary>ITU-T G.711 encoding of 16-bit linear PCM: µ-law (payload type 0) and A-law (payload type 8), RFC 3551 §4.5.14.</summary>
internal static class G711
{
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    public static byte EncodeMuLaw(short sample)
    {
        var value = (int)sample;
        var sign = (value >> 8) & 0x80;
        if (sign != 0)
        {
            value = -value;
        }

        value = Math.Min(value, MuLawClip) + MuLawBias;
        var exponent = 7;
        for (var mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static byte EncodeALaw(short sample)
    {
        var value = (int)sample;
        var sign = value >= 0 ? 0x80 : 0;
        if (sign == 0)
        {
            value = -value - 1;
        }

        value = Math.Min(value, 32767) >> 3;
        byte encoded;
        if (value < 32)
        {
            encoded = (byte)(sign | (value >> 1));
        }
        else
        {
            var exponent = 1;
            for (var shifted = value >> 5; shifted > 1; shifted >>= 1)
            {
                exponent++;
            }

            encoded = (byte)(sign | (exponent << 4) | ((value >> exponent) & 0x0F));
        }

        // G.711 A-law inverts the even bits on the wire.
        return (byte)(encoded ^ 0x55);
    }

    public static short DecodeMuLaw(byte encoded)
    {
        var value = ~encoded & 0xFF;
        var sign = value & 0x80;
        var exponent = (value >> 4) & 0x07;
        var mantissa = value & 0x0F;
        var magnitude = (((mantissa << 3) + MuLawBias) << exponent) - MuLawBias;
        return (short)(sign != 0 ? -magnitude : magnitude);
    }

    public static short DecodeALaw(byte encoded)
    {
        // G.711 A-law: undo the even-bit inversion, then sign, 3-bit segment and 4-bit mantissa.
        var value = encoded ^ 0x55;
        var exponent = (value >> 4) & 0x07;
        var mantissa = value & 0x0F;
        var magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }
}
