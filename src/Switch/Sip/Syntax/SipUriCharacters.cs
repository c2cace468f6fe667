using System.Buffers;

namespace HostedPbx.Switch.Sip.Syntax;

/// <summary>Character classes of the RFC 3261 §25.1 SIP-URI grammar (bytes, before unescaping), as vectorized sets.</summary>
internal static class SipUriCharacters
{
    // unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    // '%' is let through by every set and checked by IsValidEscapes (escaped = "%" HEXDIG HEXDIG).
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()%";

    // user = 1*( unreserved / escaped / user-unreserved ); user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
    private static readonly SearchValues<byte> s_user = Create(Unreserved + "&=+$,;?/");

    // password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
    private static readonly SearchValues<byte> s_password = Create(Unreserved + "&=+$,");

    // paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
    private static readonly SearchValues<byte> s_param = Create(Unreserved + "[]/:&+$");

    // hname / hvalue = *( hnv-unreserved / unreserved / escaped ); hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"
    private static readonly SearchValues<byte> s_header = Create(Unreserved + "[]/?:+$");

    public static bool IsUser(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept(s_user) < 0;

    public static bool IsPassword(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept(s_password) < 0;

    public static bool IsParam(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept(s_param) < 0;

    public static bool IsHeader(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept(s_header) < 0;

    public static bool IsValidEscapes(ReadOnlySpan<byte> value)
    {
        for (var i = value.IndexOf((byte)'%'); i >= 0 && i < value.Length; i++)
        {
            if (value[i] == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit((char)value[i + 1]) || !char.IsAsciiHexDigit((char)value[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
        }

        return true;
    }

    private static SearchValues<byte> Create(string characters) => SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(characters));
}
