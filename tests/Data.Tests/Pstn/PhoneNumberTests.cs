using HostedPbx.Data.Pstn;

namespace HostedPbx.Data.Tests.Pstn;

/// <summary>What users dial becomes the E.164 number carriers route, by the tenant's country rules.</summary>
public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("DE", "030123456", "+4930123456")]
    [InlineData("DE", "0049 30 123456", "+4930123456")]
    [InlineData("DE", "+4930123456", "+4930123456")]
    [InlineData("GB", "020 7946 0018", "+442079460018")]
    [InlineData("GB", "0033142681234", "+33142681234")]
    [InlineData("US", "4155550100", "+14155550100")]
    [InlineData("US", "14155550100", "+14155550100")]
    [InlineData("US", "01144207946001", "+44207946001")]
    [InlineData("IT", "0612345678", "+390612345678")]
    public void TryNormalise_NationalAndInternationalForms_GivesE164(string country, string dialled, string expected)
    {
        Assert.True(PhoneNumber.TryNormalise(dialled, CountryDialPlan.Find(country)!, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("DE", "")]
    [InlineData("DE", "12345")]
    [InlineData("DE", "0")]
    [InlineData("DE", "+0301234567")]
    [InlineData("DE", "0301234567890123456")]
    [InlineData("DE", "03012a456")]
    [InlineData("US", "555")]
    public void TryNormalise_NothingACarrierCouldReach_IsRefused(string country, string dialled)
    {
        Assert.False(PhoneNumber.TryNormalise(dialled, CountryDialPlan.Find(country)!, out _));
    }

    [Theory]
    [InlineData("+4930123456", true)]
    [InlineData("+442079460018", true)]
    [InlineData("4930123456", false)]
    [InlineData("+0930123456", false)]
    [InlineData("+49 30 123456", false)]
    [InlineData("+1234567890123456", false)]
    [InlineData("+123456", false)]
    public void IsE164_TheStoredForm(string text, bool expected) => Assert.Equal(expected, PhoneNumber.IsE164(text));

    [Theory]
    [InlineData("+4930123456", "DE")]
    [InlineData("+353112345678", "IE")]
    [InlineData("+2348012345678", "+234")]
    public void CountriesOf_ByLongestCountryCode(string e164, string country) =>
        Assert.Equal([country], CountryDialPlan.CountriesOf(e164));

    [Fact]
    public void CountriesOf_NorthAmericanNumber_NamesEveryCountrySharingPlus1() =>
        Assert.Equal(["US", "CA"], CountryDialPlan.CountriesOf("+14155550100"));
}
