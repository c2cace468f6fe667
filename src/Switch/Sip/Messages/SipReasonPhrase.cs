namespace HostedPbx.Switch.Sip.Messages;

/// <summary>
/// Makes any text a safe Reason-Phrase: printable ASCII of the RFC 3261 §25.1 grammar only, at most
/// <see cref="MaxLength"/> bytes. A peer's bytes (an SDP line, a NUL, a format string) can never reach a status line
/// unbounded or unescaped, whoever built the reason.
/// </summary>
public static class SipReasonPhrase
{
    public const int MaxLength = 80;

    // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB); we keep the ASCII part
    // and drop "%" since an unescaped one is not in the grammar (and "%n" is what a format-string attack sends).
    private static ReadOnlySpan<byte> Allowed => ";/?:@&=+$,-_.!~*'() "u8;

    /// <summary>Writes the cleaned phrase to <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes) and returns its length.</summary>
    public static int Clean(ReadOnlySpan<byte> phrase, Span<byte> destination)
    {
        var written = 0;
        var lastWasSpace = true;
        foreach (var b in phrase)
        {
            if (written == MaxLength)
            {
                break;
            }

            var c = IsAllowed(b) ? b : (byte)' ';
            if (c == ' ' && lastWasSpace)
            {
                continue;
            }

            destination[written++] = c;
            lastWasSpace = c == ' ';
        }

        while (written > 0 && destination[written - 1] == ' ')
        {
            written--;
        }

        return written;
    }

    /// <summary>The cleaned phrase as bytes; characters outside ASCII count as disallowed.</summary>
    public static byte[] Clean(string phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        Span<byte> ascii = stackalloc byte[Math.Min(phrase.Length, MaxLength * 4)];
        for (var i = 0; i < ascii.Length; i++)
        {
            ascii[i] = phrase[i] < 0x80 ? (byte)phrase[i] : (byte)0;
        }

        Span<byte> cleaned = stackalloc byte[MaxLength];
        return cleaned[..Clean(ascii, cleaned)].ToArray();
    }

    private static bool IsAllowed(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
        || Allowed.Contains(b);
}
