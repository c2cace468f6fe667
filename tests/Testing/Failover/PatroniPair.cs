using System.Globalization;
using Npgsql;

namespace HostedPbx.Testing.Failover;

/// <summary>
/// Two PostgreSQL nodes managed by Patroni with a one-member etcd, on free loopback ports, started and stopped by the
/// repository's deploy/patroni scripts (the ones ./pbx run --ha uses). Patroni's timings there (ttl 12 s, loop 2 s)
/// make a crash failover take about 11 s.
/// </summary>
public sealed class PatroniPair : IAsyncDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(4);
    private readonly string _dir;
    private readonly Dictionary<string, string> _settings;

    private PatroniPair(string dir, Dictionary<string, string> settings)
    {
        _dir = dir;
        _settings = settings;
    }

    public string Log => string.Join("\n", new[] { "node1", "node2" }.Select(n => Path.Combine(_dir, n, "patroni.log")).Where(File.Exists)
        .Select(f => $"--- {f}\n" + string.Join("\n", File.ReadLines(f).TakeLast(30))));

    /// <summary>What the parts are given: both nodes, only the writable one, the role cache kept short.</summary>
    public string OwnerConnectionString =>
        $"Host=127.0.0.1:{_settings["PG_PORT1"]},127.0.0.1:{_settings["PG_PORT2"]};Target Session Attributes=read-write;Host Recheck Seconds=1;"
        + $"Database=postgres;Username=postgres;Password={_settings["SUPERUSER_PASSWORD"]};Timeout=5";

    public static async Task<PatroniPair> StartAsync()
    {
        var dir = await ClusterCommand.MakeFolderAsync("hostedpbx-patroni-");
        var ports = new Dictionary<string, string>();
        foreach (var name in new[] { "ETCD_CLIENT_PORT", "ETCD_PEER_PORT", "PG_PORT1", "PG_PORT2", "REST_PORT1", "REST_PORT2" })
        {
            ports[name] = PartProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        }

        ports["PG_BIN"] = ClusterCommand.PgBin;
        try
        {
            await ClusterCommand.RunAsync(Path.Combine(ClusterCommand.PatroniScripts, "up.sh"), [dir], ports, s_limit);
        }
        catch (Exception) when (File.Exists(Path.Combine(dir, "cluster.env")))
        {
            await new PatroniPair(dir, ReadSettings(dir)).DisposeAsync();
            throw;
        }

        return new PatroniPair(dir, ReadSettings(dir));
    }

    /// <summary>The node Patroni has as leader now (its REST API answers 200 on /primary only there).</summary>
    public async Task<string> LeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var (node, rest) in new[] { ("node1", "REST_PORT1"), ("node2", "REST_PORT2") })
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{_settings[rest]}/primary"))).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
                // That node's Patroni is down.
            }
        }

        throw new InvalidOperationException("no Patroni node is leader\n" + Log);
    }

    /// <summary>kill -9 of the leader's Patroni and its postmaster together: a host that dies (deploy/patroni/README, crash mode).</summary>
    public async Task<string> CrashLeaderAsync()
    {
        var leader = await LeaderAsync();
        var patroni = await PidAsync(Path.Combine(_dir, leader, "patroni.pid"));
        var postmaster = await PidAsync(Path.Combine(_dir, leader, "data", "postmaster.pid"));
        await ClusterCommand.SignalAsync(patroni, "KILL");
        await ClusterCommand.SignalAsync(postmaster, "KILL");
        return leader;
    }

    /// <summary>etcd stops answering (SIGSTOP) without closing its sockets, as an unreachable one does; <see cref="ResumeEtcdAsync"/> undoes it.</summary>
    public async Task PauseEtcdAsync() => await ClusterCommand.SignalAsync(await PidAsync(Path.Combine(_dir, "etcd.pid")), "STOP");

    public async Task ResumeEtcdAsync() => await ClusterCommand.SignalAsync(await PidAsync(Path.Combine(_dir, "etcd.pid")), "CONT");

    /// <summary>Each node's answer to pg_is_in_recovery() asked directly (true: read-only), or null when it does not answer.</summary>
    public async Task<bool?[]> InRecoveryAsync()
    {
        var answers = new List<bool?>();
        foreach (var port in new[] { _settings["PG_PORT1"], _settings["PG_PORT2"] })
        {
            try
            {
                await using var connection = new NpgsqlConnection(
                    $"Host=127.0.0.1;Port={port};Database=postgres;Username=postgres;Password={_settings["SUPERUSER_PASSWORD"]};Timeout=3;Pooling=false");
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
                answers.Add((bool)(await command.ExecuteScalarAsync())!);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                answers.Add(null);
            }
        }

        return [.. answers];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A paused etcd would hold down.sh up: let it run first.
            await ResumeEtcdAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            // etcd is gone already.
        }

        await ClusterCommand.RunAsync(Path.Combine(ClusterCommand.PatroniScripts, "down.sh"), [_dir, "--purge"], new Dictionary<string, string>(), s_limit);
    }

    private static Dictionary<string, string> ReadSettings(string dir) =>
        File.ReadLines(Path.Combine(dir, "cluster.env"))
            .Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    private static async Task<int> PidAsync(string file) =>
        int.Parse((await File.ReadAllLinesAsync(file))[0].Trim(), CultureInfo.InvariantCulture);
}
