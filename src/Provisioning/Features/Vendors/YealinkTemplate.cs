using System.Globalization;
using System.Text;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

// Yealink T4x/T5x MAC-oriented {mac}.cfg: #!version:1.0.0.1 then key = value lines. Values cannot span
// lines, so the trust anchor is fetched from SwitchCaUrl and line breaks are refused.
internal sealed class YealinkTemplate : IHandsetTemplate
{
    public DeviceVendor Vendor => DeviceVendor.Yealink;

    public int MaxLines => 16;

    public IReadOnlyList<string> FileNames(MacAddress mac) => [$"{mac}.cfg"];

    public IReadOnlyList<HandsetFile> Render(HandsetConfigModel model)
    {
        var lines = ConfigValue.Lines(model, MaxLines);
        var zone = HandsetTimeZones.Resolve(model.TimeZone);
        var backup = ConfigValue.Backup(model);
        var text = new StringBuilder();
        // The header must be the file's first line, byte for byte, or the phone ignores the file.
        text.Append("#!version:1.0.0.1\n");
        foreach (var line in lines)
        {
            var n = line.Position;
            Set(text, $"account.{n}.enable", "1");
            Set(text, $"account.{n}.label", line.DisplayName);
            Set(text, $"account.{n}.display_name", line.DisplayName);
            Set(text, $"account.{n}.auth_name", line.Number);
            Set(text, $"account.{n}.user_name", line.Number);
            Set(text, $"account.{n}.sip_server.1.address", ConfigValue.Host(model.SwitchHost));
            Set(text, $"account.{n}.sip_server.1.port", Number(ConfigValue.Port(model.SwitchPort)));
            Set(text, $"account.{n}.sip_server.1.transport_type", "2"); // 0 UDP, 1 TCP, 2 TLS, 3 DNS-NAPTR
            if (backup is { } b)
            {
                // SIP server 2: the phone's failover server for this account, over TLS as the first.
                Set(text, $"account.{n}.sip_server.2.address", b.Host);
                Set(text, $"account.{n}.sip_server.2.port", Number(b.Port));
                Set(text, $"account.{n}.sip_server.2.transport_type", "2");
            }

            Set(text, $"account.{n}.srtp_encryption", "2"); // 0 off, 1 optional, 2 compulsory
            Set(text, $"voice_mail.number.{n}", model.VoicemailNumber);
        }

        Set(text, "static.security.trust_certificates", "1");
        Set(text, "static.security.ca_cert", "1"); // 1: only the custom (imported) CAs, not the factory list
        Set(text, "static.security.cn_validation", "1");
        Set(text, "static.trusted_certificates.url", ConfigValue.CaUrl(model).AbsoluteUri);
        Set(text, "local_time.time_zone", YealinkOffset(zone.StandardOffsetMinutes));
        Set(text, "local_time.time_zone_name", zone.YealinkName);
        Set(text, "local_time.summer_time", "2"); // 2: automatic, from the time zone name
        return [new HandsetFile($"{model.Mac}.cfg", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text.ToString()))];
    }

    private static void Set(StringBuilder text, string key, string value) =>
        text.Append(key).Append(" = ").Append(ConfigValue.SingleLine(value, key)).Append('\n');

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Yealink writes whole-hour offsets as +1, 0, -5 and others as +5:30.
    private static string YealinkOffset(int minutes)
    {
        var sign = minutes > 0 ? "+" : minutes < 0 ? "-" : "";
        var abs = Math.Abs(minutes);
        return abs % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 60}")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{abs / 60}:{abs % 60:00}");
    }
}
