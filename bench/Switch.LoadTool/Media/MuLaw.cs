namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>G.711 µ-law (ITU-T G.711 §A.2), for the tone the handsets send.</summary>
internal static class MuLaw
{
    private const int Bias = 0x84;
    private const int Clip = 32635;

    public static byte Encode(short sample)
    {
        var sign = (sample >> 8) & 0x80;
        var magnitude = Math.Min(Math.Abs((int)sample), Clip) + Bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static short Decode(byte code)
    {
        var value = ~code;
        var exponent = (value >> 4) & 0x07;
        var magnitude = ((((value & 0x0F) << 3) + Bias) << exponent) - Bias;
        return (short)((value & 0x80) != 0 ? -magnitude : magnitude);
    }

    /// <summary>One 20 ms frame (160 samples at 8 kHz) of a 1 kHz tone at half scale: exactly 20 periods, so it repeats seamlessly.</summary>
    public static byte[] ToneFrame()
    {
        var frame = new byte[160];
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = Encode((short)(16384 * Math.Sin(2 * Math.PI * i / 8.0)));
        }

        return frame;
    }
}
