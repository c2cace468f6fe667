using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>A real baresip handset (shared/peers/README.md §3): TLS with a device certificate, SRTP mandatory, WAV in, WAV out.</summary>
internal sealed class BaresipPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly int _controlPort;
    private NetworkNamespace? _network;

    private BaresipPeer(Process process, string directory, int controlPort, int sipPort)
    {
        _process = process;
        Directory = directory;
        _controlPort = controlPort;
        SipPort = sipPort;
    }

    /// <summary>The port baresip listens on for SIP over UDP and TCP (TLS on the next one).</summary>
    public int SipPort { get; }

    public string Directory { get; }

    public string RecordingDirectory => Path.Combine(Directory, "rec");

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>
    /// The dialog of this handset's answered call to <paramref name="callee"/>, read from its SIP trace (started with
    /// <c>sipTrace</c>): the Call-ID and both tags of the 200 OK to its INVITE; null until that answer has arrived.
    /// </summary>
    public (string CallId, string FromTag, string ToTag)? AnsweredDialogTo(string callee)
    {
        var lines = Log.Split('\n').Select(l => l.Trim('\r', ' ')).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].EndsWith("SIP/2.0 200 OK", StringComparison.Ordinal) && !lines[i].StartsWith("SIP/2.0 200 OK", StringComparison.Ordinal))
            {
                continue;
            }

            var headers = lines.Skip(i + 1).TakeWhile(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
            string? Header(string name) => headers.FirstOrDefault(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();
            static string? Tag(string? value) =>
                value is null || value.IndexOf(";tag=", StringComparison.Ordinal) is var at && at < 0 ? null : value[(at + 5)..].Split(';', '>')[0];
            if (Header("CSeq") is { } cseq && cseq.EndsWith("INVITE", StringComparison.Ordinal)
                && Header("To") is { } to && to.Contains($"sip:{callee}@", StringComparison.Ordinal)
                && Header("Call-ID") is { } callId && Tag(Header("From")) is { } fromTag && Tag(to) is { } toTag)
            {
                return (callId, fromTag, toTag);
            }
        }

        return null;
    }

    public static BaresipPeer Start(string root, string name, string user, int switchPort, string combinedPem, string caPem, string audioSource, int seconds, string answerMode = "auto",
        NetworkNamespace? network = null, bool messageWaiting = false, bool sipTrace = false, SwitchDomain? domain = null, string? account = null)
    {
        var directory = Path.Combine(root, name);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "rec"));
        var certificate = Path.Combine(directory, "device.pem");
        File.WriteAllText(certificate, combinedPem);
        var ca = Path.Combine(directory, "ca.crt");
        File.WriteAllText(ca, caPem);
        var sipPort = BaresipPorts.SipListen();
        var controlPort = PartProcess.FreePort();
        var consolePort = PartProcess.FreePort();
        var rtp = FreeRtpRange();
        File.WriteAllText(Path.Combine(directory, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort}",
            combinedPem.Length > 0 ? $"sip_certificate {certificate}" : "",
            caPem.Length > 0 ? $"sip_cafile {ca}" : "",
            "call_local_timeout 120",
            "call_max_calls 4",
            "audio_buffer 40",
            "audio_player alsa,null",
            "audio_alert alsa,null",
            $"audio_source aufile,{audioSource}",
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
            $"dns_server {domain?.DnsServer ?? "127.0.0.1:53"}",
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
            "module_app ctrl_tcp.so",
            // RFC 3842: SUBSCRIBE to message-summary; the menu prints each NOTIFY's body under "----- MWI for ... -----". The
            // module subscribes to the account's AOR without its transport, so the account names the switch as its outbound proxy.
            messageWaiting ? "module_app mwi.so" : "",
            $"cons_listen 127.0.0.1:{consolePort}",
            $"ctrl_tcp_listen 127.0.0.1:{controlPort}",
            $"snd_path {Path.Combine(directory, "rec")}",
            ""));
        // A plain peer (issue 11's legacy carrier) brings its own account line and no certificate.
        File.WriteAllText(Path.Combine(directory, "accounts"), account is not null ? account + "\n" :
            $"<sip:{user}@{domain?.Name ?? $"127.0.0.1:{switchPort}"};transport=tls>;regint={domain?.RegisterSeconds ?? 600};mediaenc=srtp-mand;answermode={answerMode};audio_codecs=pcmu{(messageWaiting ? $";mwi=yes;outbound=\"sip:127.0.0.1:{switchPort};transport=tls\"" : "")}\n");

        var info = new ProcessStartInfo(Tool.Require(network is null ? "baresip" : "ip"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in (network?.Exec("baresip") ?? []).Concat(["-f", directory, "-t", seconds.ToString(CultureInfo.InvariantCulture)])
            .Concat(sipTrace ? ["-s"] : []))
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var peer = new BaresipPeer(process, directory, controlPort, sipPort) { _network = network };
        process.OutputDataReceived += (_, e) => { lock (peer._log) { peer._log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (peer._log) { peer._log.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>
    /// 50 UDP ports for rtp_ports, below the kernel's ephemeral range, each free right now: baresip gives up on a call
    /// ("rtp_listen failed ... Address already in use") when its range is taken, as other tests' ranges may be.
    /// </summary>
    private static int FreeRtpRange()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var start = 20000 + (Random.Shared.Next(0, 240) * 50);
            if (Enumerable.Range(start, 50).All(IsFreeUdp))
            {
                return start;
            }
        }

        throw new InvalidOperationException("no free range of 50 UDP ports between 20000 and 32000 for baresip's RTP");

        static bool IsFreeUdp(int port)
        {
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Waits until this handset's recording of what it heard holds the whole sentence that
    /// <see cref="Audio.MakeSpeechAsync(string, double, double, CancellationToken)"/> made in <paramref name="workDirectory"/>
    /// with <paramref name="leadingSilence"/> before it, and half a second more: the moment a test may hang up a call whose
    /// source goes on in silence, however slow the machine was until then.
    /// </summary>
    public async Task WaitUntilHeardSentenceAsync(string workDirectory, double leadingSilence, TimeSpan limit, Func<string> what)
    {
        var samples = Audio.ReadWav(Path.Combine(workDirectory, "speech_8k.wav")).Length + (int)((leadingSilence + 0.5) * 8000);
        await Eventually.GetAsync(
            () => Task.FromResult(System.IO.Directory.GetFiles(RecordingDirectory, "dump-*-dec.wav") is [var file]
                && new FileInfo(file).Length > 44 + (2L * samples) ? (object)true : null),
            limit, what);
    }

    /// <summary>Sends a command over ctrl_tcp (netstring-framed JSON).</summary>
    public async Task CommandAsync(string command, string parameters, CancellationToken cancellationToken)
    {
        var json = $"{{\"command\":\"{command}\",\"params\":\"{parameters}\",\"token\":\"t1\"}}";
        var frame = Encoding.ASCII.GetBytes($"{json.Length}:{json},");
        if (_network is not null)
        {
            // Its control port is on the namespace's own loopback: socat inside carries the frame, and waits 2 s for the reply.
            var file = Path.Combine(Directory, "command.netstring");
            await File.WriteAllBytesAsync(file, frame, cancellationToken);
            var (exitCode, output) = await Tool.RunAsync(
                "ip", [.. _network.Exec("socat"), "-t", "2", $"FILE:{file}", $"TCP:127.0.0.1:{_controlPort}"], TimeSpan.FromSeconds(10), cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"baresip's control port did not take '{command}': {output}");
            }

            return;
        }

        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _controlPort, cancellationToken);
        await tcp.GetStream().WriteAsync(frame, cancellationToken);
        await tcp.GetStream().FlushAsync(cancellationToken);
        var buffer = new byte[4096];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        _ = await tcp.GetStream().ReadAsync(buffer, limit.Token);
    }

    /// <summary>The handset vanishes: killed outright (its sockets close) or frozen (they stay open but nothing moves).</summary>
    public void Vanish(bool freeze)
    {
        using var signal = Process.Start("kill", [freeze ? "-STOP" : "-KILL", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        signal.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        await Tool.StopAsync(_process);
    }
}
