using System.Globalization;
using System.Text;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

// Cisco multiplatform (MPP) phones: a <flat-profile> {mac}.xml with one element per parameter,
// _n_ naming the extension, ua="na" hiding it from the user. The CA is fetched from Custom_CA_Rule.
internal sealed class CiscoTemplate : IHandsetTemplate
{
    public DeviceVendor Vendor => DeviceVendor.Cisco;

    public int MaxLines => 10;

    public IReadOnlyList<string> FileNames(MacAddress mac) => [$"{mac}.xml"];

    public IReadOnlyList<HandsetFile> Render(HandsetConfigModel model)
    {
        var lines = ConfigValue.Lines(model, MaxLines);
        var zone = HandsetTimeZones.Resolve(model.TimeZone);
        var backup = ConfigValue.Backup(model);
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n");
        Element(xml, "Custom_CA_Rule", ConfigValue.CaUrl(model).AbsoluteUri);
        Element(xml, "Secure_Call_Serv", "Yes");
        foreach (var line in lines)
        {
            var n = line.Position.ToString(CultureInfo.InvariantCulture);
            Element(xml, $"Extension_{n}_", n);
            Element(xml, $"Short_Name_{n}_", line.DisplayName);
            Element(xml, $"Line_Enable_{n}_", "Yes");
            Element(xml, $"Display_Name_{n}_", line.DisplayName);
            Element(xml, $"User_ID_{n}_", line.Number);
            Element(xml, $"Proxy_{n}_", ConfigValue.HostPort(model));
            Element(xml, $"SIP_Transport_{n}_", "TLS");
            if (backup is { } b)
            {
                // Dual registration: the line registers with the alternate proxy too and turns to it when the proxy fails.
                Element(xml, $"Alternate_Proxy_{n}_", ConfigValue.BackupHostPort(b));
                Element(xml, $"Dual_Registration_{n}_", "Yes");
            }

            Element(xml, $"Register_{n}_", "Yes");
            Element(xml, $"Secure_Call_Option_{n}_", "Required"); // Required: refuse calls that are not SRTP
        }

        Element(xml, "Voice_Mail_Number", model.VoicemailNumber);
        Element(xml, "Time_Zone", CiscoOffset(zone.StandardOffsetMinutes));
        Element(xml, "Daylight_Saving_Time_Enable", zone.HasDaylightSaving ? "Yes" : "No");
        if (zone is { DaylightStart: { } start, DaylightEnd: { } end })
        {
            Element(xml, "Daylight_Saving_Time_Rule", $"start={Transition(start)};end={Transition(end)};save=1");
        }

        xml.Append("</flat-profile>\n");
        return [new HandsetFile($"{model.Mac}.xml", "application/xml", Encoding.UTF8.GetBytes(xml.ToString()))];
    }

    private static void Element(StringBuilder xml, string name, string value) =>
        xml.Append("  <").Append(name).Append(" ua=\"na\">").Append(ConfigValue.XmlText(value)).Append("</").Append(name).Append(">\n");

    // month/day/weekday/hour: weekday 7 is Sunday; day -1 means the last one in the month, day d the first on or after d.
    private static string Transition(DaylightTransition t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t.Month}/{(t.Week == -1 ? -1 : ((t.Week - 1) * 7) + 1)}/7/{t.LocalHour}");

    private static string CiscoOffset(int minutes) => minutes == 0
        ? "GMT"
        : string.Create(CultureInfo.InvariantCulture, $"GMT{(minutes > 0 ? '+' : '-')}{Math.Abs(minutes) / 60:00}:{Math.Abs(minutes) % 60:00}");
}
