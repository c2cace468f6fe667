namespace HostedPbx.Switch.Media.Srtp;

/// <summary>The lengths, in octets, that a crypto suite fixes.</summary>
/// <param name="Name">The SDES name of the suite.</param>
/// <param name="KeyLength">Master and session encryption key length.</param>
/// <param name="SaltLength">Master and session salt length.</param>
/// <param name="AuthKeyLength">HMAC-SHA1 session key length; 0 for AEAD suites.</param>
/// <param name="SrtpTagLength">Authentication tag appended to SRTP packets.</param>
/// <param name="SrtcpTagLength">Authentication tag appended to SRTCP packets.</param>
public readonly record struct SrtpSuiteProfile(
    string Name, int KeyLength, int SaltLength, int AuthKeyLength, int SrtpTagLength, int SrtcpTagLength)
{
    public bool IsAead => AuthKeyLength == 0;

    /// <summary>Octets of the base64 inline key: master key followed by master salt (RFC 4568 §6.1).</summary>
    public int InlineKeyLength => KeyLength + SaltLength;

    public static SrtpSuiteProfile Of(SrtpSuite suite) => suite switch
    {
        // RFC 4568 §6.2.1-2: the _32 suites shorten only the SRTP tag; SRTCP keeps 80 bits.
        SrtpSuite.AesCm128HmacSha1Tag80 => new("AES_CM_128_HMAC_SHA1_80", 16, 14, 20, 10, 10),
        SrtpSuite.AesCm128HmacSha1Tag32 => new("AES_CM_128_HMAC_SHA1_32", 16, 14, 20, 4, 10),
        // RFC 6188 §6: 256-bit keys, same salt and tags.
        SrtpSuite.Aes256CmHmacSha1Tag80 => new("AES_256_CM_HMAC_SHA1_80", 32, 14, 20, 10, 10),
        SrtpSuite.Aes256CmHmacSha1Tag32 => new("AES_256_CM_HMAC_SHA1_32", 32, 14, 20, 4, 10),
        // RFC 7714 §12: 96-bit salt, 16-octet tag, no separate authentication key.
        SrtpSuite.AeadAes128Gcm => new("AEAD_AES_128_GCM", 16, 12, 0, 16, 16),
        SrtpSuite.AeadAes256Gcm => new("AEAD_AES_256_GCM", 32, 12, 0, 16, 16),
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, null),
    };

    public static string NameOf(SrtpSuite suite) => Of(suite).Name;

    /// <summary>Finds a suite by its SDES name; names are case-sensitive tokens (RFC 4568 §9.2).</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out SrtpSuite suite)
    {
        foreach (var candidate in Enum.GetValues<SrtpSuite>())
        {
            if (name.SequenceEqual(Of(candidate).Name))
            {
                suite = candidate;
                return true;
            }
        }

        suite = default;
        return false;
    }
}
