using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>
/// The value of one "a=crypto:" line (RFC 4568 §9.1): a tag, a crypto suite and one inline master key||salt.
/// Lifetimes are read and kept but not enforced (the switch never re-keys within a call); MKIs, several keys and the
/// session parameters that weaken SRTP are refused, each with a reason.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "\"Attribute\" is the RFC 4568 name of the a=crypto line.")]
public sealed class SdesCryptoAttribute
{
    public const string Name = "crypto";

    public SdesCryptoAttribute(int tag, SrtpSuite suite, SrtpKeys keys, string? lifetime = null, IReadOnlyList<string>? sessionParameters = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tag);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tag, 999_999_999);
        Tag = tag;
        Suite = suite;
        Keys = keys;
        Lifetime = lifetime;
        SessionParameters = sessionParameters ?? [];
    }

    public int Tag { get; }

    public SrtpSuite Suite { get; }

    public SrtpKeys Keys { get; }

    /// <summary>The raw lifetime ("2^31" or a number) when the peer sent one.</summary>
    public string? Lifetime { get; }

    public IReadOnlyList<string> SessionParameters { get; }

    /// <summary>A line with fresh random keys of the suite's lengths.</summary>
    public static SdesCryptoAttribute Generate(int tag, SrtpSuite suite) => new(tag, suite, SrtpKeys.Generate(suite));

    /// <summary>The SRTP context that uses this line's key: ours to protect what we send, the peer's to unprotect what it sends.</summary>
    public SrtpContext CreateContext() => new(Suite, Keys);

    /// <summary>The attribute value, without "crypto:".</summary>
    public override string ToString()
    {
        var value = string.Create(CultureInfo.InvariantCulture, $"{Tag} {SrtpSuiteProfile.NameOf(Suite)} inline:{Keys.ToInline()}");
        if (Lifetime is not null)
        {
            value += "|" + Lifetime;
        }

        return SessionParameters.Count == 0 ? value : value + " " + string.Join(' ', SessionParameters);
    }

    // crypto-attribute = "crypto:" tag 1*WSP crypto-suite 1*WSP key-params *(1*WSP session-param)
    // key-params = key-param *(";" key-param);  key-param = "inline:" key-salt ["|" lifetime] ["|" mki]
    // lifetime = ["2^"] 1*DIGIT;  mki = mki-value ":" mki-length                               (RFC 4568 §9.1-9.2)
    public static bool TryParse(string value, [NotNullWhen(true)] out SdesCryptoAttribute? attribute, [NotNullWhen(false)] out string? error)
    {
        attribute = null;
        var fields = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            error = "a=crypto needs a tag, a suite and key parameters";
            return false;
        }

        if (fields[0].Length > 9 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
        {
            error = "a=crypto tag is not 1 to 9 digits";
            return false;
        }

        if (!SrtpSuiteProfile.TryParse(fields[1], out var suite))
        {
            error = $"crypto suite {fields[1]} is not supported";
            return false;
        }

        error = ReadKeyParameters(fields[2], suite, out var keys, out var lifetime) ?? CheckSessionParameters(fields.AsSpan(3));
        if (error is not null)
        {
            return false;
        }

        attribute = new SdesCryptoAttribute(tag, suite, keys!, lifetime, fields[3..]);
        return true;
    }

    private static string? ReadKeyParameters(string keyParameters, SrtpSuite suite, out SrtpKeys? keys, out string? lifetime)
    {
        keys = null;
        lifetime = null;
        if (keyParameters.Contains(';', StringComparison.Ordinal))
        {
            return "several keys in one a=crypto line (which need an MKI) are not supported";
        }

        if (!keyParameters.StartsWith("inline:", StringComparison.Ordinal))
        {
            return "only the inline key method is supported";
        }

        var parts = keyParameters["inline:".Length..].Split('|');
        if (parts.Length > 3)
        {
            return "malformed inline key";
        }

        foreach (var part in parts.AsSpan(1))
        {
            if (part.Contains(':', StringComparison.Ordinal))
            {
                // RFC 4568 §6.1: an MKI would sit in every SRTP packet before the tag; our contexts carry none.
                return "a master key identifier (MKI) is not supported";
            }

            var digits = part.StartsWith("2^", StringComparison.Ordinal) ? part[2..] : part;
            if (lifetime is not null || digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            {
                return "malformed key lifetime";
            }

            lifetime = part;
        }

        if (!SrtpKeys.TryParseInline(suite, parts[0], out keys))
        {
            return $"inline key is not base64 of the {SrtpSuiteProfile.Of(suite).InlineKeyLength} octets {SrtpSuiteProfile.NameOf(suite)} needs";
        }

        return null;
    }

    private static string? CheckSessionParameters(ReadOnlySpan<string> parameters)
    {
        foreach (var parameter in parameters)
        {
            // RFC 4568 §6.3: these turn off encryption or authentication, or ask for key derivation we do not do.
            if (parameter is "UNENCRYPTED_SRTP" or "UNENCRYPTED_SRTCP" or "UNAUTHENTICATED_SRTP")
            {
                return $"session parameter {parameter} is refused";
            }

            if (parameter.StartsWith("KDR=", StringComparison.Ordinal) && parameter != "KDR=0")
            {
                return "a key derivation rate other than 0 is not supported";
            }
        }

        return null;
    }
}
