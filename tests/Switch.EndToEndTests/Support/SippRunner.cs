using System.Globalization;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// Runs one SIPp scenario (Scenarios/*.xml) as a single call over TCP into a <see cref="TlsTunnel"/>, so the switch
/// sees TLS with the tunnel's device certificate (shared/peers/README.md §5). The result carries SIPp's verdict and
/// the messages it exchanged, for the assertion's message.
/// </summary>
internal static class SippRunner
{
    public static async Task<SippResult> RunAsync(
        string scenario, TlsTunnel tunnel, string me, string callee, string workDirectory, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(workDirectory, "sipp-" + Path.GetFileNameWithoutExtension(scenario) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(directory);
        var messages = Path.Combine(directory, "messages.log");
        var errors = Path.Combine(directory, "errors.log");
        var logs = Path.Combine(directory, "logs.log");
        var args = new List<string>
        {
            $"127.0.0.1:{tunnel.Port}", "-t", "t1", "-i", "127.0.0.1",
            "-p", PartProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            "-mi", "127.0.0.1", "-mp", PartProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario),
            "-s", callee, "-key", "me", me,
            "-m", "1", "-timeout", "20", "-timeout_error", "-nostdin", "-nd",
            "-trace_msg", "-message_file", messages, "-trace_err", "-error_file", errors, "-trace_logs", "-log_file", logs,
        };
        var (exitCode, output) = await Tool.RunAsync("sipp", args, TimeSpan.FromSeconds(30), directory, cancellationToken);
        return new SippResult(exitCode, Read(messages), Read(errors) + Read(logs) + output);
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
