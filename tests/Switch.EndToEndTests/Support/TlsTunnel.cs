using System.Diagnostics;
using System.Net.Sockets;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// A local socat tunnel (shared/peers/README.md §5): plain TCP on a loopback port in, TLS with a device's client
/// certificate out to the switch, verifying the switch's certificate. Debian's SIPp has no TLS, so it talks through this.
/// Every TCP connection in gets its own TLS connection out.
/// </summary>
internal sealed class TlsTunnel : IAsyncDisposable
{
    private readonly Process _process;

    private TlsTunnel(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<TlsTunnel> StartAsync(string directory, string name, int switchPort, string combinedPem, string caPem, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var certificate = Path.Combine(directory, name + ".pem");
        var ca = Path.Combine(directory, name + "-ca.crt");
        // Leaf, intermediates and key in one PEM: OpenSSL takes the chain and the key from it.
        await File.WriteAllTextAsync(certificate, combinedPem, cancellationToken);
        await File.WriteAllTextAsync(ca, caPem, cancellationToken);
        var port = PartProcess.FreePort();
        var info = new ProcessStartInfo(Tool.Require("socat")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add($"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork");
        info.ArgumentList.Add($"OPENSSL:127.0.0.1:{switchPort},cert={certificate},cafile={ca},verify=1");
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var tunnel = new TlsTunnel(process, port);
        await Eventually.GetAsync(async () =>
        {
            using var probe = new TcpClient();
            try
            {
                // socat forks a TLS connection for this probe too; the switch sees it close before any SIP.
                await probe.ConnectAsync("127.0.0.1", port, cancellationToken);
                return (object?)true;
            }
            catch (SocketException)
            {
                return process.HasExited ? throw new InvalidOperationException($"socat exited ({process.ExitCode})") : null;
            }
        }, TimeSpan.FromSeconds(5), "socat listening");
        return tunnel;
    }

    public async ValueTask DisposeAsync()
    {
        await Tool.StopAsync(_process);
    }
}
