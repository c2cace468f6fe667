using System.Buffers;

namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Character classes and LWS handling from the RFC 3261 §25.1 ABNF.</summary>
public static class SipGrammar
{
    // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    private static readonly SearchValues<byte> s_token =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~"u8);

    public static bool IsTokenChar(byte c) => s_token.Contains(c);

    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && value.IndexOfAnyExcept(s_token) < 0;

    /// <summary>SP, HTAB, or the CR/LF of a folded line (RFC 3261 §7.3.1: folding is equivalent to a single SP).</summary>
    public static bool IsLws(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    public static ReadOnlySpan<byte> TrimLws(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && IsLws(value[start]))
        {
            start++;
        }

        var end = value.Length;
        while (end > start && IsLws(value[end - 1]))
        {
            end--;
        }

        return value[start..end];
    }

    public static ReadOnlySpan<byte> TrimStartLws(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && IsLws(value[start]))
        {
            start++;
        }

        return value[start..];
    }

    /// <summary>Parses 1*DIGIT into a value no larger than <paramref name="max"/>; leading zeros are allowed.</summary>
    public static bool TryParseDigits(ReadOnlySpan<byte> value, ulong max, out ulong result)
    {
        result = 0;
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }

            result = (result * 10) + (ulong)(c - '0');
            if (result > max)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Index of the end of a quoted-string starting at <paramref name="start"/> (which must be a DQUOTE), or -1 when unterminated.
    /// quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE; quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
    /// </summary>
    public static int FindQuoteEnd(ReadOnlySpan<byte> value, int start)
    {
        for (var i = start + 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                return i;
            }
        }

        return -1;
    }

    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        left.Length == right.Length && System.Text.Ascii.EqualsIgnoreCase(left, right);
}
