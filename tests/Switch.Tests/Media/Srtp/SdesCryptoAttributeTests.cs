using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

public sealed class SdesCryptoAttributeTests
{
    // RFC 4568 §9.1's example key (30 octets of AES_CM_128_HMAC_SHA1_80).
    private const string Key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

    [Fact]
    public void TryParse_InlineKeyWithLifetime_ReadsAll()
    {
        Assert.True(SdesCryptoAttribute.TryParse($"1 AES_CM_128_HMAC_SHA1_80 inline:{Key}|2^20", out var crypto, out var error), error);

        Assert.Equal(1, crypto.Tag);
        Assert.Equal(SrtpSuite.AesCm128HmacSha1Tag80, crypto.Suite);
        Assert.Equal(16, crypto.Keys.MasterKey.Length);
        Assert.Equal(14, crypto.Keys.MasterSalt.Length);
        Assert.Equal("2^20", crypto.Lifetime);
        Assert.Equal(Key, crypto.Keys.ToInline());
    }

    [Theory]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|2^20|1:4", "MKI")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|1:4", "MKI")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + ";inline:" + Key, "several keys")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|2^x", "lifetime")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|2^20|2^20", "lifetime")]
    [InlineData("1 F8_128_HMAC_SHA1_80 inline:" + Key, "not supported")]
    [InlineData("1 AES_256_CM_HMAC_SHA1_80 inline:" + Key, "46 octets")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:not*base64", "30 octets")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 uri:https://example.com/key", "inline")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + " UNENCRYPTED_SRTP", "UNENCRYPTED_SRTP")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + " KDR=24", "derivation rate")]
    [InlineData("1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + Key, "tag")]
    [InlineData("x AES_CM_128_HMAC_SHA1_80 inline:" + Key, "tag")]
    [InlineData("1 AES_CM_128_HMAC_SHA1_80", "needs")]
    public void TryParse_Unsupported_ReturnsReason(string value, string reason)
    {
        Assert.False(SdesCryptoAttribute.TryParse(value, out var crypto, out var error));
        Assert.Null(crypto);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HarmlessSessionParameters_Kept()
    {
        Assert.True(SdesCryptoAttribute.TryParse($"7 AES_CM_128_HMAC_SHA1_32 inline:{Key} KDR=0 WSH=128", out var crypto, out _));

        Assert.Equal(["KDR=0", "WSH=128"], crypto.SessionParameters);
        Assert.Equal($"7 AES_CM_128_HMAC_SHA1_32 inline:{Key} KDR=0 WSH=128", crypto.ToString());
    }

    [Fact]
    public void TryParse_UnpaddedBase64_Accepted()
    {
        var keys = SrtpKeys.Generate(SrtpSuite.AeadAes128Gcm);
        var unpadded = keys.ToInline().TrimEnd('=');

        Assert.True(SdesCryptoAttribute.TryParse($"2 AEAD_AES_128_GCM inline:{unpadded}", out var crypto, out var error), error);
        Assert.Equal(keys.MasterKey.ToArray(), crypto.Keys.MasterKey.ToArray());
    }

    [Theory]
    [InlineData(SrtpSuite.AesCm128HmacSha1Tag80, 40)]
    [InlineData(SrtpSuite.Aes256CmHmacSha1Tag32, 64)]
    [InlineData(SrtpSuite.AeadAes128Gcm, 40)]
    [InlineData(SrtpSuite.AeadAes256Gcm, 60)]
    public void Generate_ThenParse_SameKeysOfSuiteLength(SrtpSuite suite, int base64Length)
    {
        var generated = SdesCryptoAttribute.Generate(3, suite);
        var inline = generated.Keys.ToInline();

        Assert.True(SdesCryptoAttribute.TryParse(generated.ToString(), out var parsed, out var error), error);
        Assert.Equal(base64Length, inline.Length);
        Assert.Equal(3, parsed.Tag);
        Assert.Equal(suite, parsed.Suite);
        Assert.Equal(inline, parsed.Keys.ToInline());
    }

    [Fact]
    public void Generate_Twice_DifferentKeys()
    {
        Assert.NotEqual(
            SdesCryptoAttribute.Generate(1, SrtpSuite.AesCm128HmacSha1Tag80).Keys.ToInline(),
            SdesCryptoAttribute.Generate(1, SrtpSuite.AesCm128HmacSha1Tag80).Keys.ToInline());
    }
}
