namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>
/// The body of an INFO with "application/dtmf-relay", as handsets that do not send RFC 4733 use it (no RFC; the
/// common form is "Signal=5" and "Duration=160", one per line). Only the digit is read.
/// </summary>
public static class DtmfRelay
{
    /// <summary>The digit of the Signal line (0-9, *, #, A-D); false for any other body.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out char digit)
    {
        digit = default;
        foreach (var range in body.Split("\n"u8))
        {
            var line = body[range].Trim("\r \t"u8);
            if (line.Length < 7 || !System.Text.Ascii.EqualsIgnoreCase(line[..6], "Signal"u8))
            {
                continue;
            }

            var value = line[6..].TrimStart(" \t"u8);
            if (value.Length < 2 || value[0] != (byte)'=')
            {
                return false;
            }

            value = value[1..].Trim(" \t"u8);
            if (value.Length == 1 && (char)value[0] is (>= '0' and <= '9') or '*' or '#' or (>= 'A' and <= 'D') or (>= 'a' and <= 'd'))
            {
                digit = char.ToUpperInvariant((char)value[0]);
                return true;
            }

            return false;
        }

        return false;
    }
}
