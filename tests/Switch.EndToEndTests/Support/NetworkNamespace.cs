using System.Globalization;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// A private network namespace (shared/peers/netns.sh): its own loopback, plus a veth pair with a default route
/// that leads nowhere, because liblinphone will not register without one. Nothing in it can reach another network;
/// it is deleted, with every process still in it, on dispose.
/// </summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync(CancellationToken cancellationToken)
    {
        var name = "hpbx-e2e-" + Guid.NewGuid().ToString("N")[..8];
        var limit = TimeSpan.FromSeconds(10);
        await RunAsync(["netns", "add", name], limit, cancellationToken);
        var created = new NetworkNamespace(name);
        try
        {
            await created.IpAsync(["link", "set", "lo", "up"], cancellationToken);
            await created.IpAsync(["link", "add", "veth0", "type", "veth", "peer", "name", "veth1"], cancellationToken);
            // The benchmark range, on a link whose other end is in the same namespace: a route to nowhere.
            await created.IpAsync(["addr", "add", "198.18.0.1/15", "dev", "veth0"], cancellationToken);
            await created.IpAsync(["link", "set", "veth0", "up"], cancellationToken);
            await created.IpAsync(["link", "set", "veth1", "up"], cancellationToken);
            await created.IpAsync(["route", "add", "default", "dev", "veth0"], cancellationToken);
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }

        return created;
    }

    /// <summary>The arguments that run <paramref name="program"/> inside the namespace (through ip netns exec).</summary>
    public IEnumerable<string> Exec(string program) => ["netns", "exec", Name, Tool.Require(program)];

    private Task IpAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(["netns", "exec", Name, Tool.Require("ip"), .. args], TimeSpan.FromSeconds(10), cancellationToken);

    private static async Task RunAsync(string[] args, TimeSpan limit, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await Tool.RunAsync("ip", args, limit, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({exitCode}); network namespaces need root:\n{output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Only our own processes live here: end them by id, then drop the namespace (and its veth pair with it).
        var (_, pids) = await Tool.RunAsync("ip", ["netns", "pids", Name], TimeSpan.FromSeconds(5), CancellationToken.None);
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                await Tool.RunAsync("kill", ["-KILL", pid], TimeSpan.FromSeconds(5), CancellationToken.None);
            }
        }

        await Tool.RunAsync("ip", ["netns", "del", Name], TimeSpan.FromSeconds(10), CancellationToken.None);
    }
}
