using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Features.Vendors;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Provisioning.Tests.Features.Vendors;

/// <summary>The baresip files against what shared/peers/README.md §3 proved on baresip 1.0.0 (baresip-core 1.0.0-4).</summary>
public sealed class BaresipTemplateTests
{
    // Every key of the proven alice/config in peers README §3; baresip 1.0 has no sip_verify_server and no sip_capath.
    private static readonly HashSet<string> s_provenKeys =
    [
        "poll_method", "sip_listen", "sip_certificate", "sip_cafile", "call_local_timeout", "call_max_calls", "audio_buffer",
        "audio_player", "audio_alert", "audio_source", "ausrc_srate", "auplay_srate", "ausrc_channels", "auplay_channels",
        "audio_level", "ausrc_format", "auplay_format", "auenc_format", "audec_format", "rtp_tos", "rtp_ports", "rtcp_mux",
        "jitter_buffer_delay", "rtp_stats", "net_interface", "dns_server", "module_path", "module", "module_tmp", "module_app",
        "cons_listen", "ctrl_tcp_listen", "snd_path",
    ];

    // The modules baresip-core 1.0.0-4 ships (peers README §3), of those a handset config may load.
    private static readonly HashSet<string> s_shippedModules =
    [
        "account.so", "alsa.so", "aufile.so", "cons.so", "ctrl_tcp.so", "g711.so", "menu.so", "mwi.so", "sndfile.so", "srtp.so", "uuid.so",
    ];

    [Theory]
    [InlineData(HandsetScenarios.SingleLine)]
    [InlineData(HandsetScenarios.TwoHostileLines)]
    public void Render_Config_UsesOnlyProvenKeysAndShippedModules(string scenario)
    {
        var settings = ConfigSettings(scenario);

        Assert.All(settings, s => Assert.Contains(s.Key, s_provenKeys));
        Assert.All(settings.Where(s => s.Key.StartsWith("module", StringComparison.Ordinal) && s.Key != "module_path"),
            s => Assert.Contains(s.Value, s_shippedModules));
    }

    [Fact]
    public void Render_Config_StaysOnLoopbackWithCertificateSrtpAndPcmu()
    {
        var settings = ConfigSettings(HandsetScenarios.SingleLine);

        Assert.Contains(("net_interface", "127.0.0.1"), settings);
        Assert.Contains(("dns_server", "127.0.0.1:53"), settings);
        Assert.Contains(("sip_listen", "127.0.0.1:5071"), settings);
        Assert.Contains(("sip_certificate", ".data/demo/devices/0015651a2b3c.pem"), settings);
        Assert.Contains(("sip_cafile", ".data/demo/ca.crt"), settings);
        Assert.Contains(("module", "srtp.so"), settings);
        Assert.Contains(("module", "g711.so"), settings);
        Assert.DoesNotContain(settings, s => s.Value == "stdio.so");
    }

    [Fact]
    public void Render_Accounts_OneProvenLinePerExtension()
    {
        var files = HandsetTemplates.For(DeviceVendor.Baresip)!
            .Render(HandsetScenarios.Create(DeviceVendor.Baresip, HandsetScenarios.TwoHostileLines));

        var accounts = Encoding.UTF8.GetString(files.Single(f => f.Name.EndsWith(".baresip-accounts", StringComparison.Ordinal)).Content.Span);

        Assert.Equal(
            "<sip:201@127.0.0.1:5061;transport=tls>;regint=600;mediaenc=srtp-mand;answermode=auto;audio_codecs=pcmu;mwi=yes;outbound=\"sip:127.0.0.1:5061;transport=tls\"\n" +
            "<sip:202@127.0.0.1:5061;transport=tls>;regint=600;mediaenc=srtp-mand;answermode=auto;audio_codecs=pcmu;mwi=yes;outbound=\"sip:127.0.0.1:5061;transport=tls\"\n",
            accounts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // issue 14: a second outbound flow to a backup node (outbound2, sipnat=outbound)
    public async Task Render_Files_AreAcceptedByBaresipWhichLoadsEveryModule(bool backup)
    {
        Assert.SkipUnless(File.Exists("/usr/bin/baresip"), "baresip-core is not installed (apt-get install baresip-core).");
        var dir = Directory.CreateTempSubdirectory("hostedpbx-baresip-");
        try
        {
            var ca = Path.Combine(dir.FullName, "ca.crt");
            var device = Path.Combine(dir.FullName, "device.pem");
            WriteSelfSignedPem(device, ca);
            var baseModel = HandsetScenarios.Create(DeviceVendor.Baresip, HandsetScenarios.TwoHostileLines);
            var model = baseModel with
            {
                SwitchPort = PartProcess.FreePort(), // nothing listens there: REGISTER is refused on loopback and goes nowhere else
                BackupSwitchHost = backup ? "127.0.0.1" : null,
                BackupSwitchPort = backup ? PartProcess.FreePort() : null,
                Baresip = baseModel.Baresip! with
                {
                    CertificatePath = device,
                    CaPath = ca,
                    SipListen = $"127.0.0.1:{BaresipPorts.SipListen()}",
                    ControlListen = $"127.0.0.1:{PartProcess.FreePort()}",
                    RecordingPath = dir.FullName,
                },
            };
            foreach (var file in HandsetTemplates.For(DeviceVendor.Baresip)!.Render(model))
            {
                var name = file.Name.EndsWith(".baresip-config", StringComparison.Ordinal) ? "config" : "accounts";
                await File.WriteAllBytesAsync(Path.Combine(dir.FullName, name), file.Content.ToArray(), TestContext.Current.CancellationToken);
            }

            var (exitCode, output) = await RunBaresipAsync(dir.FullName);

            Assert.Equal(0, exitCode);
            Assert.Contains("baresip is ready.", output, StringComparison.Ordinal);
            Assert.Contains($"SIP Certificate: {device}", output, StringComparison.Ordinal);
            Assert.Contains("mediaenc: srtp-mand", output, StringComparison.Ordinal);
            Assert.Contains("aufilt: sndfile", output, StringComparison.Ordinal);
            Assert.Contains("Populated 2 accounts", output, StringComparison.Ordinal);
            Assert.Contains("201@127.0.0.1: Using media encryption 'srtp-mand'", output, StringComparison.Ordinal);
            // baresip prints errors in red (ESC[31m); the only ones expected are the refused REGISTERs.
            var errors = output.Split('\n').Where(line => line.Contains("\u001b[31m", StringComparison.Ordinal));
            Assert.All(errors, line => Assert.Contains("Register: Connection refused", line, StringComparison.Ordinal));
            Assert.DoesNotContain("cannot open", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static List<(string Key, string Value)> ConfigSettings(string scenario)
    {
        var files = HandsetTemplates.For(DeviceVendor.Baresip)!.Render(HandsetScenarios.Create(DeviceVendor.Baresip, scenario));
        var config = Encoding.UTF8.GetString(files.Single(f => f.Name.EndsWith(".baresip-config", StringComparison.Ordinal)).Content.Span);
        return config.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', 2))
            .Select(parts => (parts[0], parts[1].TrimStart('\t')))
            .ToList();
    }

    private static async Task<(int ExitCode, string Output)> RunBaresipAsync(string configDir)
    {
        var start = new ProcessStartInfo("/usr/bin/baresip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", configDir, "-t", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // -t 1 quits after a second; the bound only keeps a hung process from hanging the run.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static void WriteSelfSignedPem(string devicePemPath, string caPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=0015651a2b3c", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        File.WriteAllText(devicePemPath, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(caPath, certificate.ExportCertificatePem() + "\n");
    }
}
