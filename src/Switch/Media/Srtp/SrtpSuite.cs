namespace HostedPbx.Switch.Media.Srtp;

/// <summary>The SRTP crypto suites the switch speaks, named as in the SDES registry (RFC 4568 §6.2, RFC 6188 §6, RFC 7714 §14.1).</summary>
public enum SrtpSuite
{
    AesCm128HmacSha1Tag80,
    AesCm128HmacSha1Tag32,
    Aes256CmHmacSha1Tag80,
    Aes256CmHmacSha1Tag32,
    AeadAes128Gcm,
    AeadAes256Gcm,
}
