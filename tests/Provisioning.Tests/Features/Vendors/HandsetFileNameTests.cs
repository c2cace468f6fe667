using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

public sealed class HandsetFileNameTests
{
    [Theory]
    [InlineData("0015651a2b3c.cfg", "0015651a2b3c.cfg", new[] { DeviceVendor.Yealink, DeviceVendor.Polycom })]
    [InlineData("0015651A2B3C.cfg", "0015651a2b3c.cfg", new[] { DeviceVendor.Yealink, DeviceVendor.Polycom })]
    [InlineData("0004f21a2b3c-phone.cfg", "0004f21a2b3c-phone.cfg", new[] { DeviceVendor.Polycom })]
    [InlineData("000413aabbcc.xml", "000413aabbcc.xml", new[] { DeviceVendor.Snom, DeviceVendor.Cisco })]
    [InlineData("cfg000b82aabbcc.xml", "cfg000b82aabbcc.xml", new[] { DeviceVendor.Grandstream })]
    [InlineData("CFG000B82AABBCC.XML", "cfg000b82aabbcc.xml", new[] { DeviceVendor.Grandstream })]
    [InlineData("0015651a2b3c.baresip-config", "0015651a2b3c.baresip-config", new[] { DeviceVendor.Baresip })]
    [InlineData("0015651a2b3c.baresip-accounts", "0015651a2b3c.baresip-accounts", new[] { DeviceVendor.Baresip })]
    public void TryParse_ProvisioningFileName_ReturnsMacCanonicalNameAndVendors(string name, string canonical, DeviceVendor[] vendors)
    {
        Assert.True(HandsetFileName.TryParse(name, out var request));

        Assert.Equal(canonical, request.FileName);
        Assert.Equal(vendors, request.Vendors);
        Assert.Equal(canonical.Replace("cfg", "", StringComparison.Ordinal)[..12], request.Mac.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0015651a2b3c")]
    [InlineData("0015651a2b3.cfg")]
    [InlineData("0015651a2b3cd.cfg")]
    [InlineData("0015651a2b3g.cfg")]
    [InlineData("00:15:65:1a:2b:3c.cfg")]
    [InlineData("../0015651a2b3.cfg")]
    [InlineData("0015651a2b3c.txt")]
    [InlineData("0015651a2b3c.cfg.xml")]
    [InlineData("cfg0015651a2b3c.cfg")]
    [InlineData("y000000000028.cfg ")]
    public void TryParse_OtherName_ReturnsFalse(string? name)
    {
        Assert.False(HandsetFileName.TryParse(name, out var request));
        Assert.Null(request);
    }

    [Fact]
    public void IsServedBy_SharedName_AcceptsOnlyItsVendors()
    {
        Assert.True(HandsetFileName.TryParse("0015651a2b3c.xml", out var request));

        Assert.True(request.IsServedBy(DeviceVendor.Snom));
        Assert.True(request.IsServedBy(DeviceVendor.Cisco));
        Assert.False(request.IsServedBy(DeviceVendor.Yealink));
    }

    [Theory]
    [InlineData(DeviceVendor.Yealink)]
    [InlineData(DeviceVendor.Polycom)]
    [InlineData(DeviceVendor.Snom)]
    [InlineData(DeviceVendor.Grandstream)]
    [InlineData(DeviceVendor.Cisco)]
    [InlineData(DeviceVendor.Baresip)]
    public void TryParse_EveryNameATemplateServes_ResolvesBackToThatVendorAndMac(DeviceVendor vendor)
    {
        var mac = HostedPbx.Data.Devices.MacAddress.Parse("00:0b:82:aa:bb:cc");

        foreach (var name in HandsetTemplates.For(vendor)!.FileNames(mac))
        {
            Assert.True(HandsetFileName.TryParse(name, out var request), name);
            Assert.Equal(name, request.FileName);
            Assert.Equal(mac, request.Mac);
            Assert.True(request.IsServedBy(vendor), name);
        }
    }
}
