using System.Security.Cryptography;

namespace HostedPbx.Switch.Media.Srtp;

/// <summary>An SRTP master key and master salt, as carried by an SDES inline key (RFC 4568 §6.1).</summary>
public sealed class SrtpKeys
{
    private readonly byte[] _masterKey;
    private readonly byte[] _masterSalt;

    public SrtpKeys(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (masterKey.Length is not (16 or 32))
        {
            throw new ArgumentException("An SRTP master key is 16 or 32 octets.", nameof(masterKey));
        }

        if (masterSalt.Length is not (12 or 14))
        {
            throw new ArgumentException("An SRTP master salt is 12 or 14 octets.", nameof(masterSalt));
        }

        _masterKey = masterKey.ToArray();
        _masterSalt = masterSalt.ToArray();
    }

    public ReadOnlySpan<byte> MasterKey => _masterKey;

    public ReadOnlySpan<byte> MasterSalt => _masterSalt;

    /// <summary>Fresh random keys of the suite's lengths, for an offer or an answer.</summary>
    public static SrtpKeys Generate(SrtpSuite suite)
    {
        var profile = SrtpSuiteProfile.Of(suite);
        Span<byte> material = stackalloc byte[profile.InlineKeyLength];
        RandomNumberGenerator.Fill(material);
        var keys = new SrtpKeys(material[..profile.KeyLength], material[profile.KeyLength..]);
        CryptographicOperations.ZeroMemory(material);
        return keys;
    }

    /// <summary>Decodes the base64 key||salt of an inline key-info; false when it is not base64 of exactly the suite's length.</summary>
    public static bool TryParseInline(SrtpSuite suite, ReadOnlySpan<char> base64, out SrtpKeys? keys)
    {
        keys = null;
        var profile = SrtpSuiteProfile.Of(suite);
        Span<byte> material = stackalloc byte[64];
        Span<char> padded = stackalloc char[96];
        scoped var text = base64;
        if (text.Length % 4 != 0 && text.Length + 4 <= padded.Length)
        {
            // Some peers drop the base64 padding; restore it rather than refuse the key.
            text.CopyTo(padded);
            var length = text.Length;
            while (length % 4 != 0)
            {
                padded[length++] = '=';
            }

            text = padded[..length];
        }

        if (!Convert.TryFromBase64Chars(text, material, out var written) || written != profile.InlineKeyLength)
        {
            return false;
        }

        keys = new SrtpKeys(material[..profile.KeyLength], material[profile.KeyLength..written]);
        CryptographicOperations.ZeroMemory(material);
        return true;
    }

    /// <summary>The base64 of master key||master salt, without padding changes (RFC 4568 §6.1).</summary>
    public string ToInline()
    {
        var material = new byte[_masterKey.Length + _masterSalt.Length];
        _masterKey.CopyTo(material, 0);
        _masterSalt.CopyTo(material, _masterKey.Length);
        var inline = Convert.ToBase64String(material);
        CryptographicOperations.ZeroMemory(material);
        return inline;
    }
}
