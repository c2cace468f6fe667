using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;
using HostedPbx.Provisioning.Tests.Support;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

/// <summary>Yealink and baresip files are one setting per line: a line break in a value would add a setting of its own.</summary>
public sealed class KeyValueOutputTests
{
    [Theory]
    [InlineData("Ann\naccount.1.sip_server.1.address = evil.example")]
    [InlineData("Ann\rX")]
    [InlineData("Ann\u0000")]
    public void Render_YealinkDisplayNameWithLineBreak_Throws(string displayName)
    {
        var model = HandsetScenarios.Create(DeviceVendor.Yealink, HandsetScenarios.SingleLine) with
        {
            Lines = [new HandsetLine(1, "201", displayName)],
        };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(DeviceVendor.Yealink)!.Render(model));
    }

    [Fact]
    public void Render_YealinkVoicemailNumberWithLineBreak_Throws()
    {
        var model = HandsetScenarios.Create(DeviceVendor.Yealink, HandsetScenarios.SingleLine) with { VoicemailNumber = "*97\nstatic.x = 1" };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(DeviceVendor.Yealink)!.Render(model));
    }

    [Fact]
    public void Render_BaresipPathWithLineBreak_Throws()
    {
        var model = HandsetScenarios.Create(DeviceVendor.Baresip, HandsetScenarios.SingleLine);
        model = model with { Baresip = model.Baresip! with { CertificatePath = "/a.pem\nmodule evil.so" } };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(DeviceVendor.Baresip)!.Render(model));
    }

    [Theory]
    [InlineData("201@evil.example")]
    [InlineData("201>;regint=0")]
    [InlineData("2 01")]
    [InlineData("")]
    public void Render_NumberUnfitForSipUri_Throws(string number)
    {
        var model = HandsetScenarios.Create(DeviceVendor.Baresip, HandsetScenarios.SingleLine) with
        {
            Lines = [new HandsetLine(1, number, "Alice")],
        };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(DeviceVendor.Baresip)!.Render(model));
    }

    [Fact]
    public void Render_YealinkHostileDisplayName_StaysOneSettingOnOneLine()
    {
        var file = HandsetTemplates.For(DeviceVendor.Yealink)!
            .Render(HandsetScenarios.Create(DeviceVendor.Yealink, HandsetScenarios.TwoHostileLines)).Single();

        var lines = Encoding.UTF8.GetString(file.Content.Span).Split('\n');

        Assert.Equal("#!version:1.0.0.1", lines[0]);
        Assert.Contains("account.1.display_name = Ann & \"Bob\" <x>", lines);
        Assert.Single(lines, l => l.StartsWith("account.1.display_name", StringComparison.Ordinal));
    }
}
