using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace HostedPbx.Data.Devices;

/// <summary>
/// An EUI-48 hardware address, the identity a handset is bound to. <see cref="ToString"/> gives the canonical
/// form, 12 lowercase hex digits (<c>0015651a2b3c</c>), used in storage, URLs and certificate subjects.
/// </summary>
[JsonConverter(typeof(MacAddressJsonConverter))]
public readonly record struct MacAddress : ISpanParsable<MacAddress>
{
    private const string UrnPrefix = "urn:dev:mac:";

    internal const string EmptyError = "A MAC address is required.";
    internal const string LengthError =
        "A MAC address has 12 hexadecimal digits, written as 0015651a2b3c, 00:15:65:1a:2b:3c, 00-15-65-1a-2b-3c or 0015.651a.2b3c.";
    internal const string SeparatorError =
        "A MAC address uses one kind of separator: ':' or '-' after every 2 digits, or '.' after every 4 digits.";
    internal const string DigitError = "A MAC address may only contain the hexadecimal digits 0-9 and a-f besides its separators.";
    internal const string UrnError = "A device URN is urn:dev:mac: followed by the 12 hexadecimal digits of an EUI-48 MAC address.";

    private readonly ulong _value;

    private MacAddress(ulong value) => _value = value;

    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 6)
        {
            throw new ArgumentException("A MAC address is 6 bytes long.", nameof(bytes));
        }

        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return new MacAddress(value);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(_value >> (8 * (5 - i)));
        }

        return bytes;
    }

    /// <summary>The canonical form: 12 lowercase hex digits.</summary>
    public override string ToString() => _value.ToString("x12", CultureInfo.InvariantCulture);

    /// <summary>The form people read: <c>00:15:65:1a:2b:3c</c>.</summary>
    public string ToDisplayString() => string.Join(':', ToBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>RFC 9039 §3.2 device URN: <c>urn:dev:mac:0015651a2b3c</c>.</summary>
    public string ToUrn() => UrnPrefix + ToString();

    public static MacAddress Parse(string s) => Parse(s.AsSpan());

    public static MacAddress Parse(ReadOnlySpan<char> s) =>
        TryParse(s, out var mac, out var error) ? mac : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? s, out MacAddress result) =>
        TryParse(s.AsSpan(), out result, out _);

    public static bool TryParse(ReadOnlySpan<char> s, out MacAddress result) => TryParse(s, out result, out _);

    public static bool TryParse(string? s, out MacAddress result, [NotNullWhen(false)] out string? error) =>
        TryParse(s.AsSpan(), out result, out error);

    /// <summary>
    /// Accepts <c>0015651a2b3c</c>, <c>00:15:65:1a:2b:3c</c>, <c>00-15-65-1a-2b-3c</c> and <c>0015.651a.2b3c</c> in any case.
    /// On failure <paramref name="error"/> is a sentence fit for an API problem detail.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> s, out MacAddress result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        error = s.Length switch
        {
            0 => EmptyError,
            12 => ParseDigits(s, 0, out result),
            14 => HasSeparators(s, '.', 4) ? ParseDigits(s, 4, out result) : SeparatorError,
            17 when s[2] is ':' or '-' => HasSeparators(s, s[2], 2) ? ParseDigits(s, 2, out result) : SeparatorError,
            17 => SeparatorError,
            _ => LengthError,
        };
        return error is null;
    }

    public static MacAddress ParseUrn(string s) =>
        TryParseUrn(s, out var mac, out var error) ? mac : throw new FormatException(error);

    public static bool TryParseUrn(ReadOnlySpan<char> s, out MacAddress result) => TryParseUrn(s, out result, out _);

    // RFC 9039 §3.2: mac = "mac:" mac-address; mac-address = 12*12(HEXDIG) for EUI-48. EUI-64 (16 digits) and the
    // "_" component suffix are valid URNs but name something other than a handset, so they are refused here.
    public static bool TryParseUrn(ReadOnlySpan<char> s, out MacAddress result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        if (s.Length != UrnPrefix.Length + 12 || !s.StartsWith(UrnPrefix, StringComparison.OrdinalIgnoreCase))
        {
            error = UrnError;
            return false;
        }

        error = ParseDigits(s[UrnPrefix.Length..], 0, out result) is null ? null : UrnError;
        return error is null;
    }

    private static bool HasSeparators(ReadOnlySpan<char> s, char separator, int groupSize)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var isSeparatorPosition = (i + 1) % (groupSize + 1) == 0;
            if (isSeparatorPosition != (s[i] == separator))
            {
                return false;
            }
        }

        return true;
    }

    // Separator positions were checked by HasSeparators; groupSize 0 means the bare 12-digit form.
    private static string? ParseDigits(ReadOnlySpan<char> s, int groupSize, out MacAddress result)
    {
        result = default;
        ulong value = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (groupSize > 0 && (i + 1) % (groupSize + 1) == 0)
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(s[i]))
            {
                return DigitError;
            }

            value = (value << 4) | (uint)HexValue(s[i]);
        }

        result = new MacAddress(value);
        return null;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };

    static MacAddress IParsable<MacAddress>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<MacAddress>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out MacAddress result) =>
        TryParse(s, out result);

    static MacAddress ISpanParsable<MacAddress>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<MacAddress>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out MacAddress result) =>
        TryParse(s, out result);
}
