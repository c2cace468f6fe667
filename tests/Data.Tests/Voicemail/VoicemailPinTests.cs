using HostedPbx.Data.Voicemail;

namespace HostedPbx.Data.Tests.Voicemail;

public sealed class VoicemailPinTests
{
    [Theory]
    [InlineData("123")]
    [InlineData("1111")]
    [InlineData("1234")]
    [InlineData("98765")]
    [InlineData("12a4")]
    [InlineData("1234567890123")]
    [InlineData("")]
    public void Problem_WeakOrMalformedPin_IsNamed(string pin) => Assert.NotNull(VoicemailPin.Problem(pin));

    [Theory]
    [InlineData("2580")]
    [InlineData("19720")]
    [InlineData("000100")]
    public void Problem_ReasonablePin_IsNone(string pin) => Assert.Null(VoicemailPin.Problem(pin));

    [Fact]
    public void Verify_TheSamePin_Matches_AndAnotherDoesNot()
    {
        var stored = VoicemailPin.Hash("2580");

        Assert.True(VoicemailPin.Verify("2580", stored));
        Assert.False(VoicemailPin.Verify("2581", stored));
        Assert.DoesNotContain("2580", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_TwiceOfOnePin_UsesFreshSalt() => Assert.NotEqual(VoicemailPin.Hash("2580"), VoicemailPin.Hash("2580"));

    [Fact]
    public void Hash_OfAWeakPin_IsRefused() => Assert.Throws<ArgumentException>(() => VoicemailPin.Hash("0000"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$%%%$AAAA")]
    public void Verify_AgainstNoOrDamagedHash_IsFalse(string? stored) => Assert.False(VoicemailPin.Verify("2580", stored));
}
