using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using HostedPbx.Switch.LoadTool.Setup;
using HostedPbx.Switch.LoadTool.Sip;
using HostedPbx.Switch.Media.Srtp;
using Npgsql;

namespace HostedPbx.Switch.LoadTool;

/// <summary>
/// The whole run, phase by phase: seed, start (or target) the switch, register N handsets, measure memory, an idle
/// CPU baseline, M calls with SRTP both ways, hang up, optionally restart the switch under the handsets, report. Every wait is bounded; the run ends by itself.
/// </summary>
internal sealed partial class LoadRun(LoadOptions options, LoadReport report)
{
    private readonly List<SipHandset> _handsets = [];
    private SwitchUnderLoad? _switch;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var work = options.Work ?? Directory.CreateTempSubdirectory("hostedpbx-load-").FullName;
        Directory.CreateDirectory(work);
        if (options.RecreateDatabase)
        {
            await LoadSeeder.RecreateDatabaseAsync(options.Database, cancellationToken);
        }

        using var seeder = new LoadSeeder(options.CaKey);
        var seeding = Stopwatch.StartNew();
        var identities = await seeder.SeedAsync(options.Database, options.Handsets, SrtpSuiteProfile.Of(options.Suite).Name, cancellationToken);
        report.Add("seeding", $"{identities.Count} extensions, devices and certificates (own root and device CA, {seeder.CaKeyDescription}; ECDSA P-256 leaves) in {seeding.Elapsed.TotalSeconds:F1} s");
        try
        {
            _switch = await StartSwitchAsync(seeder, work, cancellationToken);
            report.Add("switch", $"pid {_switch.Pid}, SIP over TLS on {_switch.Sip}{string.Concat(options.SwitchEnvironment.Select(e => $", {e.Key}={e.Value}"))}");
            await RegisterAllAsync(identities, seeder, cancellationToken);
            if (options.Hold > TimeSpan.Zero)
            {
                Console.Error.WriteLine($"{_handsets.Count} handsets registered; switch pid {_switch.Pid} held for {options.Hold.TotalSeconds:F0} s");
                await Task.Delay(options.Hold, cancellationToken);
            }

            if (options.Calls > 0)
            {
                await RunCallsAsync(cancellationToken);
            }

            if (options.Baresip)
            {
                await RunBaresipCheckAsync(identities[^1], seeder, work, cancellationToken);
            }

            if (options.Restart)
            {
                await RunRestartStormAsync(seeder, cancellationToken);
            }
        }
        finally
        {
            await CloseAllAsync();
            if (_switch is not null)
            {
                report.Add("switch errors", $"{_switch.ErrorLines} fail/crit log lines");
                await _switch.DisposeAsync();
            }

            foreach (var identity in identities)
            {
                identity.Certificate.Dispose();
            }
        }

        return 0;
    }

    private async Task<SwitchUnderLoad> StartSwitchAsync(LoadSeeder seeder, string work, CancellationToken cancellationToken)
    {
        if (options.Target is { } target)
        {
            // A running switch reloads its directory every few seconds (Switch:DirectoryRefreshSeconds, default 5).
            await Task.Delay(TimeSpan.FromSeconds(6), cancellationToken);
            return SwitchUnderLoad.Target(target, options.SwitchPid!.Value);
        }

        using var server = seeder.IssueServer();
        var certificatePath = Path.Combine(work, "switch.crt");
        var keyPath = Path.Combine(work, "switch.key");
        await File.WriteAllTextAsync(certificatePath, server.CertificatePem() + "\n" + server.ChainPem(), cancellationToken);
        await File.WriteAllTextAsync(keyPath, server.PrivateKeyPem(), cancellationToken);
        var switchDatabase = options.SwitchDatabase
            ?? new NpgsqlConnectionStringBuilder(options.Database) { Username = "hostedpbx_switch", Password = null }.ConnectionString;
        // Two port pairs per call (one per side), with room for the baresip call and ports other programs hold.
        var mediaPorts = Math.Max(200, (options.Calls + 1) * 4 + 200);
        // The switch seals voicemail and recordings under a master key and a data folder of its own (a fresh key per run).
        var masterKeyPath = Path.Combine(work, "master.key");
        await File.WriteAllTextAsync(masterKeyPath, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), cancellationToken);
        IEnumerable<KeyValuePair<string, string>> environment =
        [
            new("Keys__MasterKeyFile", masterKeyPath),
            new("HostedPbx__DataDirectory", Path.Combine(work, "data")),
            .. options.SwitchEnvironment,
        ];
        return await SwitchUnderLoad.StartAsync(SwitchDll(), switchDatabase, certificatePath, keyPath, mediaPorts, environment, cancellationToken);
    }

    private string SwitchDll()
    {
        if (options.SwitchDll is { } given)
        {
            return given;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HostedPbx.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? ".", "artifacts", "bin", "Switch", "release", "HostedPbx.Switch.dll");
    }

    private async Task CloseAllAsync()
    {
        foreach (var handset in _handsets)
        {
            await handset.DisposeAsync();
        }

        _handsets.Clear();
    }

    private IPEndPoint Sip => _switch!.Sip;
}
