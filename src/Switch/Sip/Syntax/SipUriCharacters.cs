namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Character classes of the RFC 3261 §25.1 SIP-URI grammar (bytes, before unescaping).</summary>
internal static class SipUriCharacters
{
    // mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    private static ReadOnlySpan<byte> Mark => "-_.!~*'()"u8;

    // user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
    private static ReadOnlySpan<byte> UserUnreserved => "&=+$,;?/"u8;

    // password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
    private static ReadOnlySpan<byte> PasswordExtra => "&=+$,"u8;

    // param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
    private static ReadOnlySpan<byte> ParamUnreserved => "[]/:&+$"u8;

    // hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"
    private static ReadOnlySpan<byte> HeaderUnreserved => "[]/?:+$"u8;

    public static bool IsUnreserved(byte c) => char.IsAsciiLetterOrDigit((char)c) || Mark.Contains(c);

    // '%' is let through here and checked by IsValidEscapes (escaped = "%" HEXDIG HEXDIG).
    public static bool IsUserChar(byte c) => IsUnreserved(c) || UserUnreserved.Contains(c) || c == '%';

    public static bool IsPasswordChar(byte c) => IsUnreserved(c) || PasswordExtra.Contains(c) || c == '%';

    public static bool IsParamChar(byte c) => IsUnreserved(c) || ParamUnreserved.Contains(c) || c == '%';

    public static bool IsHeaderChar(byte c) => IsUnreserved(c) || HeaderUnreserved.Contains(c) || c == '%';

    public static bool IsValidEscapes(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%')
            {
                if (i + 2 >= value.Length)
                {
                    return false;
                }

                if (!char.IsAsciiHexDigit((char)value[i + 1]) || !char.IsAsciiHexDigit((char)value[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
        }

        return true;
    }
}
