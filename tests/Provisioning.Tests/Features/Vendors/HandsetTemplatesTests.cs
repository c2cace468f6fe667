using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;
using HostedPbx.Provisioning.Tests.Support;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

public sealed class HandsetTemplatesTests
{
    public static TheoryData<DeviceVendor> Templated() => [.. HandsetScenarios.TemplatedVendors];

    [Theory]
    [MemberData(nameof(Templated))]
    public void For_TemplatedVendor_ReturnsThatVendorsTemplate(DeviceVendor vendor)
    {
        Assert.Equal(vendor, HandsetTemplates.For(vendor)!.Vendor);
    }

    [Theory]
    [InlineData(DeviceVendor.Linphone)]
    [InlineData(DeviceVendor.Other)]
    public void For_VendorWithoutFormat_ReturnsNull(DeviceVendor vendor)
    {
        Assert.Null(HandsetTemplates.For(vendor));
    }

    [Fact]
    public void For_EveryVendor_IsTemplatedOrRefusedOnPurpose()
    {
        var refused = Enum.GetValues<DeviceVendor>().Where(v => HandsetTemplates.For(v) is null);

        Assert.Equal([DeviceVendor.Linphone, DeviceVendor.Other], refused);
    }

    [Theory]
    [MemberData(nameof(Templated))]
    public void Render_AnyScenario_ProducesExactlyTheAnnouncedFileNames(DeviceVendor vendor)
    {
        var template = HandsetTemplates.For(vendor)!;

        var files = template.Render(HandsetScenarios.Create(vendor, HandsetScenarios.TwoHostileLines));

        Assert.Equal(template.FileNames(HandsetScenarios.Mac), files.Select(f => f.Name));
    }

    [Theory]
    [MemberData(nameof(Templated))]
    public void Render_MoreLinesThanTheVendorHas_Throws(DeviceVendor vendor)
    {
        var template = HandsetTemplates.For(vendor)!;
        var lines = Enumerable.Range(1, template.MaxLines + 1).Select(i => new HandsetLine(i, $"2{i:00}", $"Line {i}")).ToList();

        var model = HandsetScenarios.Create(vendor, HandsetScenarios.SingleLine) with { Lines = lines };

        Assert.Throws<ArgumentException>(() => template.Render(model));
    }

    [Theory]
    [MemberData(nameof(Templated))]
    public void Render_MaxLines_WritesEveryLine(DeviceVendor vendor)
    {
        var template = HandsetTemplates.For(vendor)!;
        var lines = Enumerable.Range(1, template.MaxLines).Select(i => new HandsetLine(i, $"2{i:00}", $"Line {i}")).ToList();

        var files = template.Render(HandsetScenarios.Create(vendor, HandsetScenarios.SingleLine) with { Lines = lines });

        var text = string.Concat(files.Select(f => System.Text.Encoding.UTF8.GetString(f.Content.Span)));
        Assert.Contains($"2{template.MaxLines:00}", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Templated))]
    public void Render_NoLinesOrAGap_Throws(DeviceVendor vendor)
    {
        var template = HandsetTemplates.For(vendor)!;
        var model = HandsetScenarios.Create(vendor, HandsetScenarios.SingleLine);

        Assert.Throws<ArgumentException>(() => template.Render(model with { Lines = [] }));
        Assert.Throws<ArgumentException>(() => template.Render(model with { Lines = [new HandsetLine(2, "202", "Bob")] }));
    }

    [Theory]
    [InlineData(DeviceVendor.Yealink, null)]
    [InlineData(DeviceVendor.Yealink, "http://pbx.example.test/ca.crt")]
    [InlineData(DeviceVendor.Cisco, null)]
    [InlineData(DeviceVendor.Cisco, "http://pbx.example.test/ca.crt")]
    public void Render_VendorThatFetchesItsCaWithoutHttpsUrl_Throws(DeviceVendor vendor, string? url)
    {
        var model = HandsetScenarios.Create(vendor, HandsetScenarios.SingleLine) with { SwitchCaUrl = url is null ? null : new Uri(url) };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(vendor)!.Render(model));
    }

    [Theory]
    [InlineData(DeviceVendor.Polycom)]
    [InlineData(DeviceVendor.Snom)]
    [InlineData(DeviceVendor.Grandstream)]
    public void Render_InlineCaThatIsNotACertificate_Throws(DeviceVendor vendor)
    {
        var model = HandsetScenarios.Create(vendor, HandsetScenarios.SingleLine) with { SwitchCaPem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(vendor)!.Render(model));
    }

    [Theory]
    [InlineData("pbx.example.test\nx")]
    [InlineData("pbx example")]
    [InlineData("pbx.example.test;transport=udp")]
    [InlineData("")]
    public void Render_SwitchHostNotAHost_Throws(string host)
    {
        var model = HandsetScenarios.Create(DeviceVendor.Snom, HandsetScenarios.SingleLine) with { SwitchHost = host };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(DeviceVendor.Snom)!.Render(model));
    }

    [Fact]
    public void Render_BaresipWithoutSettings_Throws()
    {
        var model = HandsetScenarios.Create(DeviceVendor.Baresip, HandsetScenarios.SingleLine) with { Baresip = null };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(DeviceVendor.Baresip)!.Render(model));
    }

    [Fact]
    public void Render_SameModelTwice_GivesTheSameBytes()
    {
        var model = HandsetScenarios.Create(DeviceVendor.Grandstream, HandsetScenarios.TwoHostileLines);
        var template = HandsetTemplates.For(DeviceVendor.Grandstream)!;

        Assert.Equal(template.Render(model)[0].Content.ToArray(), template.Render(model)[0].Content.ToArray());
    }
}
