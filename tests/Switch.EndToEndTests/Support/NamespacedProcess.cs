using System.Diagnostics;
using System.Text;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>A program run inside a <see cref="NetworkNamespace"/> (ip netns exec execs it, so the id is the program's).</summary>
internal sealed class NamespacedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NamespacedProcess(Process process)
    {
        _process = process;
    }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public int Id => _process.Id;

    public static NamespacedProcess Start(
        NetworkNamespace network, string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(Tool.Require("ip"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false,
        };
        foreach (var arg in network.Exec(program).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var started = new NamespacedProcess(process);
        process.OutputDataReceived += (_, e) => { lock (started._log) { started._log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (started._log) { started._log.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Writes one command line to the program's standard input.</summary>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until the program has printed <paramref name="text"/>; fails if it exits first.</summary>
    public Task WaitForAsync(string text, TimeSpan limit, string what) => Eventually.GetAsync(
        () => Task.FromResult(Log.Contains(text, StringComparison.Ordinal) ? (object?)true
            : _process.HasExited ? throw new InvalidOperationException($"{what}: the program exited ({_process.ExitCode}):\n{Log}") : null),
        limit, what + "\n" + Log);

    public async ValueTask DisposeAsync()
    {
        await Tool.StopAsync(_process);
    }
}
