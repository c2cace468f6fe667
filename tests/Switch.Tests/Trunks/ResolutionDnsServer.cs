using System.Diagnostics;
using System.Net;
using DnsClient;
using HostedPbx.Testing;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>
/// dnsmasq on a free loopback port, serving only the records a test gives it (no upstream, no /etc/hosts), authoritative
/// for <c>.test</c> so a name it does not know gets NXDOMAIN at once. Started by the test, killed when disposed.
/// </summary>
internal sealed class ResolutionDnsServer : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    private ResolutionDnsServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts dnsmasq with <paramref name="records"/> (dnsmasq options such as <c>--srv-host=…</c>) and waits until it answers.</summary>
    public static async Task<ResolutionDnsServer> StartAsync(IEnumerable<string> records, CancellationToken cancellationToken)
    {
        // dnsmasq listens on the port for UDP and TCP.
        var port = LoopbackPorts.Free();

        var start = new ProcessStartInfo("dnsmasq") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])[
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1",
            $"--port={port}", "--pid-file=", "--local=/test/", "--user=root", "--log-facility=-", .. records])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dnsmasq did not start (apt-get install dnsmasq-base).");
        var server = new ResolutionDnsServer(process, port);
        var client = new LookupClient(new LookupClientOptions(new IPEndPoint(IPAddress.Loopback, port)) { UseCache = false, Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        // A loaded machine may take a while to start it: ask until it answers, bounded generously.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"dnsmasq exited: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }

            try
            {
                await client.QueryAsync("ready.test", QueryType.A, QueryClass.IN, bound.Token);
                return server;
            }
            catch (DnsResponseException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException)
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
