using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Nodes;

/// <summary>
/// A DNS server (dnsmasq, on a free loopback port) that names the switch nodes the way an operator does for handsets:
/// RFC 3263 §4.2 SRV records for SIP over TLS (<c>_sips._tcp</c>), one per node, the primary with the lowest priority
/// (RFC 2782: a client tries targets in priority order and moves to the next when one fails).
/// </summary>
internal sealed class SrvZone : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SrvZone(Process process, string domain, int port)
    {
        _process = process;
        Domain = domain;
        Port = port;
    }

    public string Domain { get; }

    public int Port { get; }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>Serves <paramref name="nodes"/> (SIP ports on 127.0.0.1) in the order given: the first is the primary.</summary>
    public static async Task<SrvZone> StartAsync(string domain, IReadOnlyList<int> nodes, CancellationToken cancellationToken)
    {
        var port = FreeUdpAndTcpPort();
        var info = new ProcessStartInfo(Tool.Require("dnsmasq")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args =
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1",
            $"--port={port}", "--pid-file=", "--log-queries", "--log-facility=-",
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            var target = $"node{i}.{domain}";
            // RFC 2782: _Service._Proto.Name, target, port, priority (lower first).
            info.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--srv-host=_sips._tcp.{domain},{target},{nodes[i]},{10 * (i + 1)},0"));
            info.ArgumentList.Add($"--host-record={target},127.0.0.1");
        }

        var process = new Process { StartInfo = info };
        var zone = new SrvZone(process, domain, port);
        process.OutputDataReceived += (_, e) => { lock (zone._log) { zone._log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (zone._log) { zone._log.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.GetAsync(
            () => Task.FromResult(zone.Log.Contains("started", StringComparison.Ordinal) || process.HasExited ? (object)true : null),
            TimeSpan.FromSeconds(30), () => "dnsmasq to start\n" + zone.Log);
        if (process.HasExited)
        {
            throw new InvalidOperationException("dnsmasq did not start:\n" + zone.Log);
        }

        return zone;
    }

    private static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = PartProcess.FreePort();
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no loopback port free for both UDP and TCP");
    }

    public async ValueTask DisposeAsync()
    {
        await Tool.StopAsync(_process);
    }
}
