using HostedPbx.Switch.Media.Srtp;

namespace HostedPbx.Switch.Tests.Media.Srtp;

public sealed class SrtpKeyDerivationTests
{
    private const string File = "key-derivation.txt";

    public static TheoryData<string> Vectors => VectorFile.Sources(File);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void DeriveKey_PublishedMasterKey_MatchesSessionKey(string source)
    {
        var vector = VectorFile.Find(File, source);
        var expected = vector.Hex("expected");
        var derived = new byte[expected.Length];

        SrtpKeyDerivation.DeriveKey(vector.Hex("master-key"), vector.Hex("master-salt"), vector.Hex("label")[0], derived);

        Assert.Equal(expected, derived);
    }

    [Fact]
    public void DeriveSrtp_Rfc3711MasterKey_UsesSuiteLengths()
    {
        var keys = new SrtpKeys(Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139"), Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6"));

        var session = SrtpKeyDerivation.DeriveSrtp(SrtpSuite.AesCm128HmacSha1Tag80, keys);

        Assert.Equal(Convert.FromHexString("C61E7A93744F39EE10734AFE3FF7A087"), session.EncryptionKey);
        Assert.Equal(Convert.FromHexString("30CBBC08863D8C85D49DB34A9AE1"), session.Salt);
        Assert.Equal(Convert.FromHexString("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), session.AuthKey);
    }

    [Fact]
    public void DeriveSrtcp_DiffersFromSrtp()
    {
        var keys = SrtpKeys.Generate(SrtpSuite.AesCm128HmacSha1Tag80);

        var rtp = SrtpKeyDerivation.DeriveSrtp(SrtpSuite.AesCm128HmacSha1Tag80, keys);
        var rtcp = SrtpKeyDerivation.DeriveSrtcp(SrtpSuite.AesCm128HmacSha1Tag80, keys);

        Assert.NotEqual(rtp.EncryptionKey, rtcp.EncryptionKey);
        Assert.NotEqual(rtp.AuthKey, rtcp.AuthKey);
        Assert.NotEqual(rtp.Salt, rtcp.Salt);
    }

    [Fact]
    public void DeriveSrtp_GcmSuite_HasTwelveOctetSaltAndNoAuthKey()
    {
        var session = SrtpKeyDerivation.DeriveSrtp(SrtpSuite.AeadAes256Gcm, SrtpKeys.Generate(SrtpSuite.AeadAes256Gcm));

        Assert.Equal(32, session.EncryptionKey.Length);
        Assert.Equal(12, session.Salt.Length);
        Assert.Empty(session.AuthKey);
    }
}
