using HostedPbx.Data.Pstn;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>The called number in the forms carriers write it (issue 11, inbound), read into E.164 by the one number parser.</summary>
public sealed class CarrierNumberTests
{
    [Theory]
    [InlineData("+4930999000", "+4930999000")]
    [InlineData("4930999000", "+4930999000")]
    [InlineData("004930999000", "+4930999000")]
    [InlineData("tel:+49-30-999000", "+4930999000")]
    [InlineData("tel:+49.30.(999)000;npdi;rn=+4930", "+4930999000")]
    [InlineData("+49 30", null)]
    [InlineData("030999000", null)]
    [InlineData("+0301234567", null)]
    [InlineData("+4930999000999999999", null)]
    [InlineData("bob", null)]
    [InlineData("", null)]
    public void TryFromCarrier_CarrierForms_E164OrRefused(string called, string? expected)
    {
        var read = PhoneNumber.TryFromCarrier(called, out var e164);

        Assert.Equal(expected, read ? e164 : null);
    }
}
