using System.Globalization;
using System.Text;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

// Grandstream GXP/GRP cfg{mac}.xml: <gs_provision> with numbered P-values. Account 1 has its own numbers;
// accounts 2-6 repeat one layout 100 apart (P401.., P501.., ...).
internal sealed class GrandstreamTemplate : IHandsetTemplate
{
    public DeviceVendor Vendor => DeviceVendor.Grandstream;

    public int MaxLines => 6;

    public IReadOnlyList<string> FileNames(MacAddress mac) => [$"cfg{mac}.xml"];

    public IReadOnlyList<HandsetFile> Render(HandsetConfigModel model)
    {
        var lines = ConfigValue.Lines(model, MaxLines);
        var zone = HandsetTimeZones.Resolve(model.TimeZone);
        var server = ConfigValue.HostPort(model);
        var backup = ConfigValue.Backup(model);

        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gs_provision version=\"1\">\n");
        xml.Append("  <mac>").Append(model.Mac.ToString()).Append("</mac>\n  <config version=\"1\">\n");
        foreach (var line in lines)
        {
            var p = AccountValues.For(line.Position);
            Value(xml, p.Active, "1");
            Value(xml, p.Name, line.DisplayName);
            Value(xml, p.Server, server);
            if (backup is { } b)
            {
                // "Secondary SIP Server" (host:port), reached with the account's own transport (TLS, below).
                Value(xml, p.SecondaryServer, ConfigValue.BackupHostPort(b));
            }

            Value(xml, p.UserId, line.Number);
            Value(xml, p.AuthId, line.Number);
            Value(xml, p.DisplayName, line.DisplayName);
            Value(xml, p.Voicemail, model.VoicemailNumber);
            Value(xml, p.Transport, "2"); // 0 UDP, 1 TCP, 2 TLS
            Value(xml, p.UriScheme, "0"); // sip: with transport=tls, as the switch and baresip use, not sips:
            Value(xml, p.SrtpMode, "2"); // 0 off, 1 enabled but not forced, 2 enabled and forced, 3 optional
            Value(xml, p.CheckDomainCertificates, "1"); // RFC 5922 server identity check
        }

        Value(xml, 8433, ConfigValue.CertificatePem(model.SwitchCaPem));
        Value(xml, 64, zone.GrandstreamRule);
        xml.Append("  </config>\n</gs_provision>\n");
        return [new HandsetFile($"cfg{model.Mac}.xml", "application/xml", Encoding.UTF8.GetBytes(xml.ToString()))];
    }

    private static void Value(StringBuilder xml, int number, string value)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"P{number}");
        xml.Append("    <").Append(name).Append('>').Append(ConfigValue.XmlText(value)).Append("</").Append(name).Append(">\n");
    }

    private readonly record struct AccountValues(
        int Active, int Name, int Server, int UserId, int AuthId, int DisplayName, int Voicemail, int Transport, int UriScheme,
        int SrtpMode, int CheckDomainCertificates)
    {
        // The account's "Secondary SIP Server" is numbered one after its "Check Domain Certificates" (P2312, P2412, ...).
        public int SecondaryServer => CheckDomainCertificates + 1;

        public static AccountValues For(int account)
        {
            var security = 2311 + (100 * (account - 1));
            if (account == 1)
            {
                return new(271, 270, 47, 35, 36, 3, 33, 130, 2329, 183, security);
            }

            var b = 401 + (100 * (account - 2));
            return new(b, b + 16, b + 1, b + 3, b + 4, b + 6, b + 25, b + 47, security + 18, b + 42, security);
        }
    }
}
