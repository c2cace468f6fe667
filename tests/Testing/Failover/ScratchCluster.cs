using System.Security.Cryptography;

namespace HostedPbx.Testing.Failover;

/// <summary>
/// A PostgreSQL of one test's own, on a free loopback port, asking for a password over TCP as ./pbx's clusters do;
/// the test may stop and start it (an outage) without touching the cluster other tests share.
/// </summary>
public sealed class ScratchCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(120);
    private readonly string _dir;
    private readonly string _password;

    private ScratchCluster(string dir, int port, string password)
    {
        _dir = dir;
        Port = port;
        _password = password;
    }

    public int Port { get; }

    public string OwnerConnectionString => $"Host=127.0.0.1;Port={Port};Database=postgres;Username=postgres;Password={_password};Timeout=5";

    public static async Task<ScratchCluster> StartAsync()
    {
        var dir = await ClusterCommand.MakeFolderAsync("hostedpbx-pg-");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(dir, "pw");
        await File.WriteAllTextAsync(passwordFile, password);
        if (ClusterCommand.IsRoot)
        {
            await ClusterCommand.RunAsync("chown", ["postgres:postgres", passwordFile], new Dictionary<string, string>(), s_limit);
        }

        await ClusterCommand.AsPostgresAsync(Path.Combine(ClusterCommand.PgBin, "initdb"),
            ["-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile", passwordFile, "-E", "UTF8", "--locale=C.UTF-8"], s_limit);
        File.Delete(passwordFile);
        var cluster = new ScratchCluster(dir, PartProcess.FreePort(), password);
        await cluster.StartServerAsync();
        return cluster;
    }

    public Task StartServerAsync() => ClusterCommand.AsPostgresAsync(Path.Combine(ClusterCommand.PgBin, "pg_ctl"),
        ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
            "-o", $"-k {_dir} -p {Port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", "start"], s_limit);

    /// <summary>A fast shutdown: open sessions are ended, as a database restart or a failover ends them.</summary>
    public Task StopServerAsync() => ClusterCommand.AsPostgresAsync(Path.Combine(ClusterCommand.PgBin, "pg_ctl"),
        ["-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "-t", "60", "stop"], s_limit);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ClusterCommand.AsPostgresAsync(Path.Combine(ClusterCommand.PgBin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], s_limit);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_dir, recursive: true);
    }
}
