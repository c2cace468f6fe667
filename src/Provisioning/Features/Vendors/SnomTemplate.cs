using System.Globalization;
using System.Text;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

// Snom D-series settings XML {mac}.xml: indexed user_* settings per identity, read-only to the user
// (perm="R"), and the trust anchor as a base64 DER certificate in <certificates>.
// No backup switch: a Snom identity has one registrar (user_host); its failover is another whole identity
// (user_failover_identity) or DNS SRV/NAPTR on the host name, so BackupSwitchHost is left out here. Give Snom
// phones a SwitchHost whose SRV records list both nodes instead.
internal sealed class SnomTemplate : IHandsetTemplate
{
    public DeviceVendor Vendor => DeviceVendor.Snom;

    public int MaxLines => 12;

    public IReadOnlyList<string> FileNames(MacAddress mac) => [$"{mac}.xml"];

    public IReadOnlyList<HandsetFile> Render(HandsetConfigModel model)
    {
        var lines = ConfigValue.Lines(model, MaxLines);
        var zone = HandsetTimeZones.Resolve(model.TimeZone);
        var server = ConfigValue.HostPort(model);

        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<settings>\n  <phone-settings e=\"2\">\n");
        Setting(xml, "timezone", null, zone.SnomName);
        Setting(xml, "tls_server_authentication", null, "on");
        foreach (var line in lines)
        {
            var n = line.Position;
            Setting(xml, "user_active", n, "on");
            Setting(xml, "user_realname", n, line.DisplayName);
            Setting(xml, "user_name", n, line.Number);
            Setting(xml, "user_host", n, server);
            Setting(xml, "user_outbound", n, server + ";transport=tls");
            Setting(xml, "user_srtp", n, "on");
            Setting(xml, "user_savp", n, "mandatory");
            Setting(xml, "user_auth_tag", n, "off"); // off: the 80-bit tag, AES_CM_128_HMAC_SHA1_80
            Setting(xml, "user_mailbox", n, model.VoicemailNumber);
        }

        xml.Append("  </phone-settings>\n  <certificates>\n    <certificate type=\"base64\">")
            .Append(ConfigValue.CertificateBase64(model.SwitchCaPem))
            .Append("</certificate>\n  </certificates>\n</settings>\n");
        return [new HandsetFile($"{model.Mac}.xml", "application/xml", Encoding.UTF8.GetBytes(xml.ToString()))];
    }

    private static void Setting(StringBuilder xml, string name, int? index, string value)
    {
        xml.Append("    <").Append(name);
        if (index is { } idx)
        {
            xml.Append(" idx=\"").Append(idx.ToString(CultureInfo.InvariantCulture)).Append('"');
        }

        xml.Append(" perm=\"R\">").Append(ConfigValue.XmlText(value)).Append("</").Append(name).Append(">\n");
    }
}
