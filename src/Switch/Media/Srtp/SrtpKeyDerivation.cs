namespace HostedPbx.Switch.Media.Srtp;

/// <summary>The AES-CM pseudo-random function of RFC 3711 §4.3.3, with key derivation rate 0 (one derivation per session).</summary>
internal static class SrtpKeyDerivation
{
    // RFC 3711 §4.3.2: labels of the six session keys.
    public const byte SrtpEncryption = 0x00;
    public const byte SrtpAuthentication = 0x01;
    public const byte SrtpSalt = 0x02;
    public const byte SrtcpEncryption = 0x03;
    public const byte SrtcpAuthentication = 0x04;
    public const byte SrtcpSalt = 0x05;

    public static SrtpSessionKeys DeriveSrtp(SrtpSuite suite, SrtpKeys keys) =>
        Derive(suite, keys, SrtpEncryption, SrtpAuthentication, SrtpSalt);

    public static SrtpSessionKeys DeriveSrtcp(SrtpSuite suite, SrtpKeys keys) =>
        Derive(suite, keys, SrtcpEncryption, SrtcpAuthentication, SrtcpSalt);

    /// <summary>Writes PRF_n(k_master, x) for <paramref name="label"/> into <paramref name="destination"/>.</summary>
    public static void DeriveKey(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> destination)
    {
        // RFC 3711 §4.3.1: key_id = label || r, with r = 0 when kdr = 0; x = key_id XOR master_salt, both 112 bits and
        // right-aligned, so the label lands on octet 7. RFC 7714 §11: a 96-bit salt is padded with zeros on the right.
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= label;

        // §4.3.3: the PRF is the AES-CM keystream at IV = x * 2^16, i.e. x followed by a zero 16-bit block counter.
        destination.Clear();
        using var prf = new AesCounterMode(masterKey);
        prf.Transform(iv, destination);
    }

    private static SrtpSessionKeys Derive(SrtpSuite suite, SrtpKeys keys, byte encryption, byte authentication, byte salt)
    {
        var profile = SrtpSuiteProfile.Of(suite);
        var encryptionKey = new byte[profile.KeyLength];
        var sessionSalt = new byte[profile.SaltLength];
        var authKey = new byte[profile.AuthKeyLength];
        DeriveKey(keys.MasterKey, keys.MasterSalt, encryption, encryptionKey);
        DeriveKey(keys.MasterKey, keys.MasterSalt, salt, sessionSalt);
        if (authKey.Length > 0)
        {
            DeriveKey(keys.MasterKey, keys.MasterSalt, authentication, authKey);
        }

        return new SrtpSessionKeys(encryptionKey, sessionSalt, authKey);
    }
}
