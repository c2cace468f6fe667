using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;
using HostedPbx.Provisioning.Tests.Support;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

/// <summary>
/// A backup switch node is written with each vendor's own second-server keys, for every line, and nothing else in the
/// file changes; without one the files are the golden files (GoldenFileTests), byte for byte.
/// </summary>
public sealed class BackupServerTemplateTests
{
    private const string BackupHost = "node-b.example.test";
    private const int BackupPort = 5062;

    [Fact]
    public void Render_YealinkWithBackup_AddsSipServer2OverTlsToEveryAccount()
    {
        var added = AddedLines(DeviceVendor.Yealink);

        Assert.Equal(
        [
            "account.1.sip_server.2.address = node-b.example.test",
            "account.1.sip_server.2.port = 5062",
            "account.1.sip_server.2.transport_type = 2",
            "account.2.sip_server.2.address = node-b.example.test",
            "account.2.sip_server.2.port = 5062",
            "account.2.sip_server.2.transport_type = 2",
        ], added);
    }

    [Fact]
    public void Render_PolycomWithBackup_AddsRegistrationServer2OverTlsToEveryLine()
    {
        var added = AddedLines(DeviceVendor.Polycom);

        Assert.Equal(
        [
            "reg.1.server.2.address=\"node-b.example.test\"",
            "reg.1.server.2.port=\"5062\"",
            "reg.1.server.2.transport=\"TLS\"",
            "reg.1.server.2.register=\"1\"",
            "reg.2.server.2.address=\"node-b.example.test\"",
            "reg.2.server.2.port=\"5062\"",
            "reg.2.server.2.transport=\"TLS\"",
            "reg.2.server.2.register=\"1\"",
        ], added);
    }

    [Fact]
    public void Render_GrandstreamWithBackup_AddsEachAccountsSecondarySipServer()
    {
        var added = AddedLines(DeviceVendor.Grandstream);

        Assert.Equal(["<P2312>node-b.example.test:5062</P2312>", "<P2412>node-b.example.test:5062</P2412>"], added);
    }

    [Fact]
    public void Render_CiscoWithBackup_AddsAlternateProxyWithDualRegistration()
    {
        var added = AddedLines(DeviceVendor.Cisco);

        Assert.Equal(
        [
            "<Alternate_Proxy_1_ ua=\"na\">node-b.example.test:5062</Alternate_Proxy_1_>",
            "<Dual_Registration_1_ ua=\"na\">Yes</Dual_Registration_1_>",
            "<Alternate_Proxy_2_ ua=\"na\">node-b.example.test:5062</Alternate_Proxy_2_>",
            "<Dual_Registration_2_ ua=\"na\">Yes</Dual_Registration_2_>",
        ], added);
    }

    [Fact]
    public void Render_BaresipWithBackup_EveryAccountGetsASecondOutboundFlow()
    {
        var model = Model(DeviceVendor.Baresip) with { BackupSwitchHost = "127.0.0.3", BackupSwitchPort = null };

        var accounts = Text(HandsetTemplates.For(DeviceVendor.Baresip)!.Render(model), BaresipTemplate.AccountsSuffix);

        Assert.Equal(
            "<sip:201@127.0.0.1:5061;transport=tls>;regint=600;mediaenc=srtp-mand;answermode=auto;audio_codecs=pcmu;mwi=yes;"
            + "outbound=\"sip:127.0.0.1:5061;transport=tls\";outbound2=\"sip:127.0.0.3:5061;transport=tls\";sipnat=outbound\n"
            + "<sip:202@127.0.0.1:5061;transport=tls>;regint=600;mediaenc=srtp-mand;answermode=auto;audio_codecs=pcmu;mwi=yes;"
            + "outbound=\"sip:127.0.0.1:5061;transport=tls\";outbound2=\"sip:127.0.0.3:5061;transport=tls\";sipnat=outbound\n",
            accounts);
    }

    [Fact]
    public void Render_SnomWithBackup_FileUnchanged()
    {
        var template = HandsetTemplates.For(DeviceVendor.Snom)!;

        var with = template.Render(Model(DeviceVendor.Snom) with { BackupSwitchHost = BackupHost, BackupSwitchPort = BackupPort });
        var without = template.Render(Model(DeviceVendor.Snom));

        Assert.Equal(without.Single().Content.ToArray(), with.Single().Content.ToArray());
    }

    [Fact]
    public void Render_YealinkBackupWithoutPort_UsesTheSwitchPort()
    {
        var model = Model(DeviceVendor.Yealink) with { BackupSwitchHost = BackupHost };

        var text = Text(HandsetTemplates.For(DeviceVendor.Yealink)!.Render(model), ".cfg");

        Assert.Contains("account.1.sip_server.2.port = 5061\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DeviceVendor.Yealink)]
    [InlineData(DeviceVendor.Polycom)]
    [InlineData(DeviceVendor.Grandstream)]
    [InlineData(DeviceVendor.Cisco)]
    [InlineData(DeviceVendor.Baresip)]
    public void Render_BackupHostThatIsNoHost_Throws(DeviceVendor vendor)
    {
        var model = Model(vendor) with { BackupSwitchHost = "evil.example\naccount.1.enable = 0" };

        Assert.Throws<ArgumentException>(() => HandsetTemplates.For(vendor)!.Render(model));
    }

    private static HandsetConfigModel Model(DeviceVendor vendor) => HandsetScenarios.Create(vendor, HandsetScenarios.TwoHostileLines);

    // The lines the backup adds, trimmed, in file order; and no line of the file without it is lost or changed.
    private static List<string> AddedLines(DeviceVendor vendor)
    {
        var template = HandsetTemplates.For(vendor)!;
        var with = Lines(template.Render(Model(vendor) with { BackupSwitchHost = BackupHost, BackupSwitchPort = BackupPort }));
        var without = Lines(template.Render(Model(vendor)));

        var remaining = with.ToList();
        foreach (var line in without)
        {
            Assert.True(remaining.Remove(line), $"line '{line}' is missing once a backup is given");
        }

        return remaining.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
    }

    private static List<string> Lines(IReadOnlyList<HandsetFile> files) =>
        files.SelectMany(f => Encoding.UTF8.GetString(f.Content.Span).Split('\n')).ToList();

    private static string Text(IReadOnlyList<HandsetFile> files, string suffix) =>
        Encoding.UTF8.GetString(files.Single(f => f.Name.EndsWith(suffix, StringComparison.Ordinal)).Content.Span);
}
