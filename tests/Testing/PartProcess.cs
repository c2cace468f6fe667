using System.Diagnostics;
using System.Text;

namespace HostedPbx.Testing;

/// <summary>A built part (Switch, Provisioning, Web, Admin) started as its own process, as ./pbx starts it.</summary>
public sealed class PartProcess : IAsyncDisposable
{
    // A part's first start JITs and migrates on a machine that may be running a build beside the tests: a bound, not a
    // pace. Each wait ends as soon as the part answers or exits.
    private static readonly TimeSpan s_exitLimit = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private PartProcess(Process process)
    {
        _process = process;
    }

    public string Output { get { lock (_output) { return _output.ToString(); } } }
    public string Error { get { lock (_error) { return _error.ToString(); } } }

    public static PartProcess Start(string part, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(ArtifactsBin, part, "debug", $"HostedPbx.{part}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built: build the solution first.");
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var part2 = new PartProcess(process);
        process.OutputDataReceived += (_, e) => { lock (part2._output) { part2._output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (part2._error) { part2._error.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return part2;
    }

    public async Task<int> WaitForExitAsync()
    {
        using var limit = new CancellationTokenSource(s_exitLimit);
        await _process.WaitForExitAsync(limit.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>What Ctrl-C or a service manager sends.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    /// <summary>Polls a health URL until it answers Healthy; fails if the process exits or three minutes pass.</summary>
    public async Task WaitHealthyAsync(Uri health)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < s_exitLimit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The part exited ({_process.ExitCode}) before it was healthy:\n{Error}\n{Output}");
            }

            try
            {
                if (await http.GetStringAsync(health) == "Healthy")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, but the answer took longer than the client's timeout (a loaded machine): ask again.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{health} did not answer Healthy.\n{Error}\n{Output}");
    }

    /// <summary>A loopback port, free for TCP and UDP, for a process the test starts (<see cref="LoopbackPorts"/>).</summary>
    public static int FreePort() => LoopbackPorts.Free();

    private static string ArtifactsBin
    {
        get
        {
            // Tests run from artifacts/bin/{TestProject}/debug.
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && dir.Name != "bin")
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Not running from artifacts/bin.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
