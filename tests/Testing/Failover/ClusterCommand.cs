using System.Diagnostics;
using System.Text;

namespace HostedPbx.Testing.Failover;

/// <summary>Runs the PostgreSQL and Patroni tools the failover tests start, bounded in time, as the postgres user when root.</summary>
internal static class ClusterCommand
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The newest PostgreSQL server's binaries (Debian's layout).</summary>
    public static string PgBin => Directory.GetDirectories("/usr/lib/postgresql")
        .Select(d => Path.Combine(d, "bin"))
        .Where(d => File.Exists(Path.Combine(d, "initdb")))
        .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
        .LastOrDefault() ?? throw new InvalidOperationException("PostgreSQL's server binaries are not installed (./pbx deps installs them).");

    /// <summary>The repository's deploy/patroni scripts.</summary>
    public static string PatroniScripts
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "pbx")))
            {
                dir = dir.Parent;
            }

            return dir is null ? throw new InvalidOperationException("Not running inside the repository.") : Path.Combine(dir.FullName, "deploy", "patroni");
        }
    }

    /// <summary>Runs a server binary as the postgres user (initdb and postgres refuse root).</summary>
    public static Task<string> AsPostgresAsync(string tool, IEnumerable<string> args, TimeSpan limit) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", tool, .. args], new Dictionary<string, string>(), limit) : RunAsync(tool, args, new Dictionary<string, string>(), limit);

    /// <summary>Runs a command to its end; its output, or an exception with it when it fails or outlives <paramref name="limit"/>.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan limit)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var bound = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {limit}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return process.ExitCode == 0
                ? output.ToString()
                : throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}:\n{output}");
        }
    }

    /// <summary>Sends a signal to a process by its id (kill -9 of a leader, SIGSTOP of etcd).</summary>
    public static Task SignalAsync(int pid, string signal) =>
        RunAsync("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>(), TimeSpan.FromSeconds(10));

    /// <summary>A folder the postgres user owns (mode 700), short enough for a socket path.</summary>
    public static async Task<string> MakeFolderAsync(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", dir], new Dictionary<string, string>(), TimeSpan.FromSeconds(10));
        }

        return dir;
    }
}
