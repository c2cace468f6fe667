using System.Text;
using System.Xml;
using System.Xml.Linq;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;
using HostedPbx.Provisioning.Tests.Support;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

public sealed class XmlOutputTests
{
    private static readonly string[] s_hostileNames = ["Ann & \"Bob\" <x>", "O'Brien ]]> &amp; Co"];

    public static TheoryData<DeviceVendor, string> XmlCases()
    {
        var data = new TheoryData<DeviceVendor, string>();
        foreach (var vendor in new[] { DeviceVendor.Polycom, DeviceVendor.Snom, DeviceVendor.Grandstream, DeviceVendor.Cisco })
        {
            foreach (var scenario in HandsetScenarios.Names)
            {
                data.Add(vendor, scenario);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(XmlCases))]
    public void Render_XmlVendor_EveryFileIsWellFormedXml(DeviceVendor vendor, string scenario)
    {
        var files = HandsetTemplates.For(vendor)!.Render(HandsetScenarios.Create(vendor, scenario));

        Assert.All(files, file => Assert.NotNull(Parse(file)));
    }

    [Theory]
    [InlineData(DeviceVendor.Snom)]
    [InlineData(DeviceVendor.Grandstream)]
    [InlineData(DeviceVendor.Cisco)]
    public void Render_HostileDisplayNames_ComeBackUnchangedAsElementText(DeviceVendor vendor)
    {
        var file = HandsetTemplates.For(vendor)!.Render(HandsetScenarios.Create(vendor, HandsetScenarios.TwoHostileLines)).Single();

        var texts = Parse(file).Descendants().Where(e => !e.HasElements).Select(e => e.Value).ToHashSet();

        Assert.All(s_hostileNames, name => Assert.Contains(name, texts));
    }

    [Fact]
    public void Render_PolycomHostileDisplayNames_ComeBackUnchangedAsAttributes()
    {
        var files = HandsetTemplates.For(DeviceVendor.Polycom)!.Render(
            HandsetScenarios.Create(DeviceVendor.Polycom, HandsetScenarios.TwoHostileLines));

        var all = Parse(files.Single(f => f.Name.EndsWith("-phone.cfg", StringComparison.Ordinal))).Root!.Element("ALL")!;

        Assert.Equal(s_hostileNames[0], all.Attribute("reg.1.displayName")!.Value);
        Assert.Equal(s_hostileNames[1], all.Attribute("reg.2.label")!.Value);
    }

    [Fact]
    public void Render_PolycomCaCertificate_KeepsItsLineBreaksThroughAttributeNormalization()
    {
        var files = HandsetTemplates.For(DeviceVendor.Polycom)!.Render(HandsetScenarios.Create(DeviceVendor.Polycom, HandsetScenarios.SingleLine));

        var pem = Parse(files.Single(f => f.Name.EndsWith("-phone.cfg", StringComparison.Ordinal)))
            .Root!.Element("ALL")!.Attribute("device.sec.TLS.customCaCert1")!.Value;

        Assert.Equal(HandsetScenarios.SwitchCaPem.TrimEnd('\n'), pem);
    }

    [Fact]
    public void Render_SnomCertificate_IsTheDerOfTheSwitchCa()
    {
        var file = HandsetTemplates.For(DeviceVendor.Snom)!.Render(HandsetScenarios.Create(DeviceVendor.Snom, HandsetScenarios.SingleLine)).Single();

        var base64 = Parse(file).Root!.Element("certificates")!.Element("certificate")!.Value;

        using var expected = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(HandsetScenarios.SwitchCaPem);
        Assert.Equal(expected.RawData, Convert.FromBase64String(base64));
    }

    [Fact]
    public void Render_PolycomMasterFile_NamesThePhoneFile()
    {
        var files = HandsetTemplates.For(DeviceVendor.Polycom)!.Render(HandsetScenarios.Create(DeviceVendor.Polycom, HandsetScenarios.SingleLine));

        var application = Parse(files.Single(f => f.Name == "0015651a2b3c.cfg")).Root!;

        Assert.Equal("0015651a2b3c-phone.cfg", application.Attribute("CONFIG_FILES")!.Value);
    }

    [Theory]
    [InlineData(DeviceVendor.Polycom)]
    [InlineData(DeviceVendor.Snom)]
    [InlineData(DeviceVendor.Grandstream)]
    [InlineData(DeviceVendor.Cisco)]
    public void Render_ControlCharacterInDisplayName_Throws(DeviceVendor vendor)
    {
        var model = HandsetScenarios.Create(vendor, HandsetScenarios.SingleLine) with { Lines = [new HandsetLine(1, "201", "bell\u0007")] };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(vendor)!.Render(model));
    }

    private static XDocument Parse(HandsetFile file)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(Encoding.UTF8.GetString(file.Content.Span)), settings);
        return XDocument.Load(reader);
    }
}
