using System.Security.Cryptography;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Data.Tests.Certificates;

public sealed class KeyProtectorTests
{
    private static readonly byte[] s_masterKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] s_otherKey = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];
    private static readonly byte[] s_secret = "private key bytes"u8.ToArray();
    private const string Purpose = "ca-key:0197a1b2-0000-7000-8000-000000000001";

    [Fact]
    public void Unprotect_SameKeyAndPurpose_ReturnsPlaintext()
    {
        using var protector = new KeyProtector(s_masterKey);
        var blob = protector.Protect(s_secret, Purpose);
        Assert.Equal(s_secret, protector.Unprotect(blob, Purpose));
    }

    [Fact]
    public void Protect_Always_WritesVersionKeyIdNonceCiphertextTag()
    {
        using var protector = new KeyProtector(s_masterKey);
        var blob = protector.Protect(s_secret, Purpose);
        Assert.Equal(1 + 8 + 12 + s_secret.Length + 16, blob.Length);
        Assert.Equal(1, blob[0]);
        Assert.False(blob.AsSpan().IndexOf(s_secret) >= 0);
    }

    [Fact]
    public void Protect_SamePlaintextTwice_UsesFreshNonces()
    {
        using var protector = new KeyProtector(s_masterKey);
        var first = protector.Protect(s_secret, Purpose);
        var second = protector.Protect(s_secret, Purpose);
        Assert.Equal(first[..9], second[..9]);
        Assert.NotEqual(first[9..21], second[9..21]);
    }

    [Fact]
    public void Unprotect_OtherPurpose_Throws()
    {
        using var protector = new KeyProtector(s_masterKey);
        var blob = protector.Protect(s_secret, Purpose);
        var exception = Assert.Throws<KeyProtectionException>(() => protector.Unprotect(blob, "ca-key:0197a1b2-0000-7000-8000-000000000002"));
        Assert.Contains("authentication", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_OtherMasterKey_ThrowsNamingKeyId()
    {
        using var protector = new KeyProtector(s_masterKey);
        using var other = new KeyProtector(s_otherKey);
        var blob = protector.Protect(s_secret, Purpose);
        var exception = Assert.Throws<KeyProtectionException>(() => other.Unprotect(blob, Purpose));
        Assert.Contains("not configured", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(20)]
    [InlineData(21)]
    [InlineData(-1)]
    public void Unprotect_AnyByteFlipped_Throws(int index)
    {
        using var protector = new KeyProtector(s_masterKey);
        var blob = protector.Protect(s_secret, Purpose);
        blob[index < 0 ? blob.Length + index : index] ^= 0x01;
        Assert.Throws<KeyProtectionException>(() => protector.Unprotect(blob, Purpose));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(36)]
    public void Unprotect_Truncated_Throws(int length)
    {
        using var protector = new KeyProtector(s_masterKey);
        var blob = protector.Protect(s_secret, Purpose);
        Assert.Throws<KeyProtectionException>(() => protector.Unprotect(blob.AsSpan(0, length), Purpose));
    }

    [Fact]
    public void Unprotect_EmptyPlaintext_RoundTrips()
    {
        using var protector = new KeyProtector(s_masterKey);
        Assert.Empty(protector.Unprotect(protector.Protect([], Purpose), Purpose));
    }

    [Fact]
    public void Unprotect_BlobFromRetiredKey_OpensButIsNotCurrent()
    {
        using var old = new KeyProtector(s_otherKey);
        var blob = old.Protect(s_secret, Purpose);
        using var rotated = new KeyProtector(s_masterKey, [s_otherKey]);
        Assert.Equal(s_secret, rotated.Unprotect(blob, Purpose));
        Assert.False(rotated.IsCurrent(blob));
        Assert.True(rotated.IsCurrent(rotated.Protect(s_secret, Purpose)));
    }

    [Fact]
    public void FromBase64_ValidKeys_MatchesRawKeys()
    {
        using var fromRaw = new KeyProtector(s_masterKey);
        using var fromBase64 = KeyProtector.FromBase64(Convert.ToBase64String(s_masterKey), Convert.ToBase64String(s_otherKey));
        Assert.Equal(s_secret, fromBase64.Unprotect(fromRaw.Protect(s_secret, Purpose), Purpose));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g")]
    public void FromBase64_Not32Bytes_Throws(string value)
    {
        Assert.Throws<ArgumentException>(() => KeyProtector.FromBase64(value));
    }

    [Fact]
    public void ToString_Always_ShowsNoKeyMaterial()
    {
        using var protector = new KeyProtector(s_masterKey);
        var text = protector.ToString()!;
        Assert.DoesNotContain(Convert.ToBase64String(s_masterKey), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(s_masterKey), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Constructor_ShortKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new KeyProtector(RandomNumberGenerator.GetBytes(16)));
    }

    [Fact]
    public void Protect_AfterDispose_Throws()
    {
        var protector = new KeyProtector(s_masterKey);
        var blob = protector.Protect(s_secret, Purpose);
        protector.Dispose();
        Assert.Throws<ObjectDisposedException>(() => protector.Protect(s_secret, Purpose));
        Assert.Throws<ObjectDisposedException>(() => protector.Unprotect(blob, Purpose));
    }
}
