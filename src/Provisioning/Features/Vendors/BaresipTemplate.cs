using System.Text;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

// baresip 1.0, the softphone the end-to-end tests run: a config and an accounts file for baresip -f dir,
// in the forms proven in shared/peers/README.md §3. They are served as {mac}.baresip-config and
// {mac}.baresip-accounts; whoever fetches them saves them as config and accounts.
internal sealed class BaresipTemplate : IHandsetTemplate
{
    public const string ConfigSuffix = ".baresip-config";
    public const string AccountsSuffix = ".baresip-accounts";

    public DeviceVendor Vendor => DeviceVendor.Baresip;

    public int MaxLines => 32;

    public IReadOnlyList<string> FileNames(MacAddress mac) => [$"{mac}{ConfigSuffix}", $"{mac}{AccountsSuffix}"];

    public IReadOnlyList<HandsetFile> Render(HandsetConfigModel model)
    {
        var lines = ConfigValue.Lines(model, MaxLines);
        var settings = model.Baresip ?? throw new ArgumentException("A baresip handset needs BaresipSettings.", nameof(model));
        var hostPort = ConfigValue.HostPort(model);
        var backup = ConfigValue.Backup(model);

        var accounts = new StringBuilder();
        foreach (var line in lines)
        {
            // baresip adds ;transport=tls to the requests it sends, so it appears once, here, in the account's URI.
            // RFC 3842: the mwi module subscribes to the line's mailbox, to the AOR without its transport, so the switch is
            // named as the outbound proxy too (the SUBSCRIBE then goes over the same TLS flow as the REGISTER).
            accounts.Append("<sip:").Append(line.Number).Append('@').Append(hostPort)
                .Append(";transport=tls>;regint=600;mediaenc=srtp-mand;answermode=auto;audio_codecs=pcmu;mwi=yes;outbound=\"sip:")
                .Append(hostPort).Append(";transport=tls\"");
            if (backup is { } b)
            {
                // The second outbound proxy: with sipnat=outbound baresip keeps a registration over a flow to each
                // (RFC 5626 §4.2, reg-id 1 and 2), so calls still reach it while one switch node drains or is gone.
                accounts.Append(";outbound2=\"sip:").Append(ConfigValue.BackupHostPort(b)).Append(";transport=tls\";sipnat=outbound");
            }

            accounts.Append('\n');
        }

        return
        [
            new HandsetFile($"{model.Mac}{ConfigSuffix}", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(Config(settings))),
            new HandsetFile($"{model.Mac}{AccountsSuffix}", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(accounts.ToString())),
        ];
    }

    private static string Config(BaresipSettings s)
    {
        var config = new StringBuilder();
        Set(config, "poll_method", "epoll");
        Set(config, "sip_listen", s.SipListen);
        Set(config, "sip_certificate", s.CertificatePath);
        Set(config, "sip_cafile", s.CaPath);
        Set(config, "call_local_timeout", "120");
        Set(config, "call_max_calls", "4");
        Set(config, "audio_buffer", "40");
        Set(config, "audio_player", s.AudioPlayer);
        Set(config, "audio_alert", s.AudioPlayer);
        Set(config, "audio_source", s.AudioSource);
        foreach (var key in new[] { "ausrc_srate", "auplay_srate" })
        {
            Set(config, key, "8000");
        }

        Set(config, "ausrc_channels", "1");
        Set(config, "auplay_channels", "1");
        Set(config, "audio_level", "no");
        foreach (var key in new[] { "ausrc_format", "auplay_format", "auenc_format", "audec_format" })
        {
            Set(config, key, "s16");
        }

        Set(config, "rtp_tos", "184");
        Set(config, "rtp_ports", s.RtpPorts);
        Set(config, "rtcp_mux", "no");
        Set(config, "jitter_buffer_delay", "5-10");
        Set(config, "rtp_stats", "yes");
        Set(config, "net_interface", s.NetInterface);
        if (s.DnsServer is { } dns)
        {
            Set(config, "dns_server", dns);
        }

        Set(config, "module_path", s.ModulePath);
        foreach (var module in Modules(s))
        {
            Set(config, "module", module);
        }

        Set(config, "module_tmp", "uuid.so");
        Set(config, "module_tmp", "account.so");
        Set(config, "module_app", "menu.so");
        Set(config, "module_app", "mwi.so");
        if (s.ControlListen is { } control)
        {
            Set(config, "module_app", "ctrl_tcp.so");
            Set(config, "ctrl_tcp_listen", control);
        }

        if (s.RecordingPath is { } recordings)
        {
            Set(config, "snd_path", recordings);
        }

        return config.ToString();
    }

    // g711 for PCMU, the audio drivers named by the player and source, and srtp for mediaenc=srtp-mand.
    private static List<string> Modules(BaresipSettings s)
    {
        List<string> modules = ["g711.so"];
        if (s.RecordingPath is not null)
        {
            modules.Add("sndfile.so");
        }

        foreach (var device in new[] { s.AudioPlayer, s.AudioSource })
        {
            var driver = device.Split(',', 2)[0] + ".so";
            if (!modules.Contains(driver))
            {
                modules.Add(driver);
            }
        }

        modules.Add("srtp.so");
        return modules;
    }

    // Values start in column 24, reached with tabs as in baresip's own template; a value ends at the line end.
    private static void Set(StringBuilder config, string key, string value)
    {
        config.Append(key);
        var column = key.Length;
        do
        {
            config.Append('\t');
            column = ((column / 8) + 1) * 8;
        }
        while (column < 24);

        config.Append(ConfigValue.SingleLine(value, key)).Append('\n');
    }
}
