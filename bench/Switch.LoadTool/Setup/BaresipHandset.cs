using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HostedPbx.Switch.LoadTool.Setup;

/// <summary>
/// A real baresip handset (configured as tests/Switch.EndToEndTests/Support/BaresipPeer.cs and shared/peers §3 do):
/// registers over TLS with its own device certificate, SRTP mandatory, answers by itself, plays a WAV and records
/// what it receives (sndfile's dump-*-dec.wav).
/// </summary>
internal sealed class BaresipHandset : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private BaresipHandset(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }

    public string RecordingDirectory => Path.Combine(Directory, "rec");

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public static BaresipHandset Start(string directory, LoadHandset identity, string caPem, IPEndPoint sip, string wav, int seconds)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "rec"));
        var certificate = Path.Combine(directory, "device.pem");
        File.WriteAllText(certificate, identity.Certificate.CombinedPem());
        var ca = Path.Combine(directory, "ca.crt");
        File.WriteAllText(ca, caPem);
        var rtp = 50200 + (Random.Shared.Next(0, 100) * 50);
        File.WriteAllText(Path.Combine(directory, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{FreePort()}",
            $"sip_certificate {certificate}",
            $"sip_cafile {ca}",
            "call_local_timeout 120",
            "call_max_calls 4",
            "audio_buffer 40",
            "audio_player alsa,null",
            "audio_alert alsa,null",
            $"audio_source aufile,{wav}",
            "ausrc_srate 8000",
            "auplay_srate 8000",
            "ausrc_channels 1",
            "auplay_channels 1",
            "audio_level no",
            "ausrc_format s16",
            "auplay_format s16",
            "auenc_format s16",
            "audec_format s16",
            $"rtp_ports {rtp}-{rtp + 49}",
            "rtcp_mux no",
            "jitter_buffer_delay 5-10",
            "net_interface 127.0.0.1",
            "dns_server 127.0.0.1:53",
            "module_path /usr/lib/baresip/modules",
            "module cons.so",
            "module g711.so",
            "module sndfile.so",
            "module alsa.so",
            "module aufile.so",
            "module srtp.so",
            "module_tmp uuid.so",
            "module_tmp account.so",
            "module_app menu.so",
            $"cons_listen 127.0.0.1:{FreePort()}",
            $"snd_path {Path.Combine(directory, "rec")}",
            ""));
        File.WriteAllText(Path.Combine(directory, "accounts"),
            $"<sip:{identity.Number}@{sip.Address}:{sip.Port};transport=tls>;regint=600;mediaenc=srtp-mand;answermode=auto;audio_codecs=pcmu\n");
        var info = new ProcessStartInfo("baresip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-f", directory, "-t", seconds.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var peer = new BaresipHandset(process, directory);
        process.OutputDataReceived += (_, e) => { lock (peer._log) { peer._log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (peer._log) { peer._log.AppendLine(e.Data); } };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("baresip is not installed (Debian package baresip-core).", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Polls baresip's log for its "200 OK … binding" line, up to the limit.</summary>
    public async Task<bool> WaitRegisteredAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            if (Log.Contains("200 OK", StringComparison.Ordinal) && Log.Contains("binding", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(200, cancellationToken);
        }

        return false;
    }

    /// <summary>A mono 16-bit 8 kHz WAV of a sine (what baresip's aufile source plays).</summary>
    public static void WriteToneWav(string path, double frequency, int seconds)
    {
        const int rate = 8000;
        var samples = rate * seconds;
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((short)(16000 * Math.Sin(2 * Math.PI * frequency * i / rate)));
        }
    }

    /// <summary>The samples of the data chunk of a 16-bit PCM WAV.</summary>
    public static double[] ReadWavSamples(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BitConverter.ToInt32(bytes, offset + 4);
            if (id == "data")
            {
                var length = Math.Min(size, bytes.Length - offset - 8) / 2;
                var samples = new double[length];
                for (var i = 0; i < length; i++)
                {
                    samples[i] = BitConverter.ToInt16(bytes, offset + 8 + (2 * i));
                }

                return samples;
            }

            offset += 8 + size;
        }

        return [];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(limit.Token);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
