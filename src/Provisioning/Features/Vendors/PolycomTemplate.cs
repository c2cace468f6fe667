using System.Globalization;
using System.Text;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

// Poly UC Software (VVX, Trio): the master file {mac}.cfg names the per-phone file {mac}-phone.cfg, whose
// parameters are attributes of one element. The CA goes inline as PEM (device.sec.TLS.customCaCert1).
internal sealed class PolycomTemplate : IHandsetTemplate
{
    public DeviceVendor Vendor => DeviceVendor.Polycom;

    public int MaxLines => 12;

    public IReadOnlyList<string> FileNames(MacAddress mac) => [$"{mac}.cfg", $"{mac}-phone.cfg"];

    public IReadOnlyList<HandsetFile> Render(HandsetConfigModel model)
    {
        var lines = ConfigValue.Lines(model, MaxLines);
        var zone = HandsetTimeZones.Resolve(model.TimeZone);
        var phoneFile = $"{model.Mac}-phone.cfg";
        var backup = ConfigValue.Backup(model);

        var master = new StringBuilder();
        master.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        master.Append("<APPLICATION APP_FILE_PATH=\"sip.ld\" CONFIG_FILES=\"").Append(phoneFile).Append("\" MISC_FILES=\"\" />\n");

        var attributes = new List<(string Key, string Value)>
        {
            ("device.set", "1"),
            ("device.sec.TLS.customCaCert1.set", "1"),
            ("device.sec.TLS.customCaCert1", ConfigValue.CertificatePem(model.SwitchCaPem)),
            ("sec.TLS.SIP.strictCertCommonNameValidation", "1"),
            ("sec.srtp.enable", "1"),
            ("sec.srtp.offer", "1"),
            ("sec.srtp.require", "1"),
        };
        foreach (var line in lines)
        {
            var n = line.Position;
            attributes.Add(($"reg.{n}.address", line.Number));
            attributes.Add(($"reg.{n}.label", line.DisplayName));
            attributes.Add(($"reg.{n}.displayName", line.DisplayName));
            attributes.Add(($"reg.{n}.auth.userId", line.Number));
            attributes.Add(($"reg.{n}.server.1.address", ConfigValue.Host(model.SwitchHost)));
            attributes.Add(($"reg.{n}.server.1.port", Number(ConfigValue.Port(model.SwitchPort))));
            attributes.Add(($"reg.{n}.server.1.transport", "TLS"));
            attributes.Add(($"reg.{n}.server.1.register", "1"));
            if (backup is { } b)
            {
                // Server 2 of the registration: the phone registers there too and uses it while server 1 fails.
                attributes.Add(($"reg.{n}.server.2.address", b.Host));
                attributes.Add(($"reg.{n}.server.2.port", Number(b.Port)));
                attributes.Add(($"reg.{n}.server.2.transport", "TLS"));
                attributes.Add(($"reg.{n}.server.2.register", "1"));
            }

            attributes.Add(($"msg.mwi.{n}.subscribe", line.Number));
            attributes.Add(($"msg.mwi.{n}.callBackMode", "contact"));
            attributes.Add(($"msg.mwi.{n}.callBack", model.VoicemailNumber));
        }

        attributes.Add(("tcpIpApp.sntp.gmtOffset.overrideDHCP", "1"));
        attributes.Add(("tcpIpApp.sntp.gmtOffset", Number(zone.StandardOffsetMinutes * 60)));
        AddDaylightSaving(attributes, zone);

        var phone = new StringBuilder();
        phone.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        phone.Append("<PHONE_CONFIG>\n  <ALL");
        foreach (var (key, value) in attributes)
        {
            phone.Append("\n    ").Append(key).Append("=\"").Append(ConfigValue.XmlAttribute(value)).Append('"');
        }

        phone.Append(" />\n</PHONE_CONFIG>\n");
        return
        [
            new HandsetFile($"{model.Mac}.cfg", "application/xml", Encoding.UTF8.GetBytes(master.ToString())),
            new HandsetFile(phoneFile, "application/xml", Encoding.UTF8.GetBytes(phone.ToString())),
        ];
    }

    // Polycom counts weekdays from 1 = Sunday; "date" is the n-th such day unless lastInMonth is set.
    private static void AddDaylightSaving(List<(string Key, string Value)> attributes, HandsetTimeZone zone)
    {
        attributes.Add(("tcpIpApp.sntp.daylightSavings.enable", zone.HasDaylightSaving ? "1" : "0"));
        if (zone is not { DaylightStart: { } start, DaylightEnd: { } end })
        {
            return;
        }

        attributes.Add(("tcpIpApp.sntp.daylightSavings.fixedDayEnable", "0"));
        foreach (var (name, t) in new[] { ("start", start), ("stop", end) })
        {
            attributes.Add(($"tcpIpApp.sntp.daylightSavings.{name}.month", Number(t.Month)));
            attributes.Add(($"tcpIpApp.sntp.daylightSavings.{name}.date", Number(t.Week == -1 ? 1 : t.Week)));
            attributes.Add(($"tcpIpApp.sntp.daylightSavings.{name}.dayOfWeek", "1"));
            attributes.Add(($"tcpIpApp.sntp.daylightSavings.{name}.dayOfWeek.lastInMonth", t.Week == -1 ? "1" : "0"));
            attributes.Add(($"tcpIpApp.sntp.daylightSavings.{name}.time", Number(t.LocalHour)));
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
