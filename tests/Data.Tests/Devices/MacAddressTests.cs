using System.Text.Json;
using HostedPbx.Data.Devices;

namespace HostedPbx.Data.Tests.Devices;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("00:15:65:1a:2b:3c")]
    [InlineData("00:15:65:1A:2B:3C")]
    [InlineData("00-15-65-1A-2B-3C")]
    [InlineData("00-15-65-1a-2b-3c")]
    [InlineData("0015.651a.2b3c")]
    [InlineData("0015.651A.2B3C")]
    [InlineData("0015651a2b3c")]
    [InlineData("0015651A2B3C")]
    [InlineData("0015651a2B3c")]
    public void TryParse_AcceptedForm_GivesCanonicalLowercase(string input)
    {
        Assert.True(MacAddress.TryParse(input, out var mac, out var error));
        Assert.Null(error);
        Assert.Equal("0015651a2b3c", mac.ToString());
    }

    [Theory]
    [InlineData("", MacAddress.EmptyError)]
    [InlineData("0015651a2b3", MacAddress.LengthError)]
    [InlineData("0015651a2b3c0", MacAddress.LengthError)]
    [InlineData("0015651a2b3c00", MacAddress.SeparatorError)]
    [InlineData(" 0015651a2b3c", MacAddress.LengthError)]
    [InlineData("0015651a2b3c ", MacAddress.LengthError)]
    [InlineData("0015651a2b3g", MacAddress.DigitError)]
    [InlineData("0015651a2b+c", MacAddress.DigitError)]
    [InlineData("00:15:65:1a2b", MacAddress.LengthError)]
    [InlineData("00:15:65:1a:2b:3g", MacAddress.DigitError)]
    [InlineData("00:15:65-1a:2b:3c", MacAddress.SeparatorError)]
    [InlineData("00-15-65-1a-2b:3c", MacAddress.SeparatorError)]
    [InlineData("001:5:65:1a:2b:3c", MacAddress.SeparatorError)]
    [InlineData("00.15.65.1a.2b.3c", MacAddress.SeparatorError)]
    [InlineData("00:15:65:1a:2b:3c:", MacAddress.LengthError)]
    [InlineData("0015:651a:2b3c", MacAddress.SeparatorError)]
    [InlineData("0015-651a-2b3c", MacAddress.SeparatorError)]
    [InlineData("001.5651a.2b3c", MacAddress.SeparatorError)]
    [InlineData("0015.651a.2b3z", MacAddress.DigitError)]
    [InlineData("0015.651a:2b3c", MacAddress.SeparatorError)]
    [InlineData("00 15 65 1a 2b 3c", MacAddress.SeparatorError)]
    [InlineData("0x15651a2b3c", MacAddress.DigitError)]
    [InlineData("urn:dev:mac:0015651a2b3c", MacAddress.LengthError)]
    [InlineData("0015651a2b3c0015", MacAddress.LengthError)]
    [InlineData("٠٠15651a2b3c", MacAddress.DigitError)]
    public void TryParse_RefusedForm_ExplainsWhy(string input, string expectedError)
    {
        Assert.False(MacAddress.TryParse(input, out _, out var error));
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(MacAddress.TryParse((string?)null, out _));
    }

    [Fact]
    public void Parse_RefusedForm_ThrowsFormatExceptionWithReason()
    {
        var exception = Assert.Throws<FormatException>(() => MacAddress.Parse("00:15:65:1a:2b"));
        Assert.Equal(MacAddress.SeparatorError, exception.Message);
    }

    [Fact]
    public void ToUrn_Always_IsRfc9039MacUrn()
    {
        Assert.Equal("urn:dev:mac:0015651a2b3c", MacAddress.Parse("00:15:65:1A:2B:3C").ToUrn());
    }

    [Theory]
    [InlineData("urn:dev:mac:0015651a2b3c")]
    [InlineData("URN:DEV:MAC:0015651A2B3C")]
    public void TryParseUrn_MacUrn_RoundTrips(string urn)
    {
        Assert.True(MacAddress.TryParseUrn(urn, out var mac));
        Assert.Equal(MacAddress.Parse("0015651a2b3c"), mac);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0015651a2b3c")]
    [InlineData("urn:dev:mac:")]
    [InlineData("urn:dev:mac:0015651a2b3")]
    [InlineData("urn:dev:mac:0024befffe804ff1")]
    [InlineData("urn:dev:mac:0015651a2b3c_port1")]
    [InlineData("urn:dev:mac:00:15:65:1a:2b:3c")]
    [InlineData("urn:dev:mac:0015651a2b3g")]
    [InlineData("urn:dev:ow:0015651a2b3c")]
    [InlineData("urn:dev:org:0015651a2b3c")]
    public void TryParseUrn_NotAnEui48MacUrn_ReturnsFalse(string urn)
    {
        Assert.False(MacAddress.TryParseUrn(urn, out _, out var error));
        Assert.Equal(MacAddress.UrnError, error);
    }

    [Fact]
    public void ToDisplayString_Always_UsesColons()
    {
        Assert.Equal("00:15:65:1a:2b:3c", MacAddress.Parse("0015651A2B3C").ToDisplayString());
    }

    [Fact]
    public void FromBytes_ToBytes_RoundTrip()
    {
        byte[] bytes = [0xFF, 0x15, 0x65, 0x1A, 0x2B, 0x3C];
        var mac = MacAddress.FromBytes(bytes);
        Assert.Equal("ff15651a2b3c", mac.ToString());
        Assert.Equal(bytes, mac.ToBytes());
    }

    [Fact]
    public void Equality_DifferentSpellings_AreEqual()
    {
        Assert.Equal(MacAddress.Parse("0015.651a.2b3c"), MacAddress.Parse("00-15-65-1A-2B-3C"));
        Assert.NotEqual(MacAddress.Parse("0015651a2b3c"), MacAddress.Parse("0015651a2b3d"));
    }

    [Fact]
    public void IParsable_Parse_UsesSameRules()
    {
        Assert.Equal("0015651a2b3c", Parse<MacAddress>("00:15:65:1a:2b:3c").ToString());

        static T Parse<T>(string s) where T : IParsable<T> => T.Parse(s, null);
    }

    [Fact]
    public void Json_Serialize_WritesCanonicalString()
    {
        Assert.Equal("{\"Mac\":\"0015651a2b3c\"}", JsonSerializer.Serialize(new Holder(MacAddress.Parse("00:15:65:1A:2B:3C"))));
    }

    [Fact]
    public void Json_DeserializeAnyForm_ReadsMac()
    {
        var holder = JsonSerializer.Deserialize<Holder>("{\"Mac\":\"0015.651a.2b3c\"}");
        Assert.Equal(MacAddress.Parse("0015651a2b3c"), holder!.Mac);
    }

    [Theory]
    [InlineData("{\"Mac\":\"00:15:65\"}")]
    [InlineData("{\"Mac\":12}")]
    public void Json_DeserializeRefusedForm_ThrowsJsonException(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Holder>(json));
    }

    private sealed record Holder(MacAddress Mac);
}
