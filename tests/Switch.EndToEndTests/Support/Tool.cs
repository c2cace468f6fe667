using System.Diagnostics;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>Third-party programs the tests drive: found on PATH or the test fails saying which package to install.</summary>
internal static class Tool
{
    private static readonly Dictionary<string, string> s_packages = new(StringComparer.Ordinal)
    {
        ["baresip"] = "baresip-core",
        ["linphonec"] = "linphone-cli",
        ["linphonecsh"] = "linphone-cli",
        ["sipp"] = "sip-tester",
        ["socat"] = "socat",
        ["dumpcap"] = "tshark",
        ["svmap"] = "sipvicious",
        ["ip"] = "iproute2",
        ["sox"] = "sox",
        ["espeak-ng"] = "espeak-ng",
        ["dnsmasq"] = "dnsmasq-base",
    };

    /// <summary>The full path of <paramref name="name"/>, or an exception that says which Debian package brings it.</summary>
    public static string Require(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/usr/sbin:/bin:/sbin").Split(':'))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        var package = s_packages.GetValueOrDefault(name, name);
        throw new InvalidOperationException($"{name} is not installed: install the Debian package {package} (./pbx test installs it).");
    }

    /// <summary>Runs a program to its end within <paramref name="limit"/>; the exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string name, IEnumerable<string> args, TimeSpan limit, CancellationToken cancellationToken) =>
        RunAsync(name, args, limit, null, cancellationToken);

    /// <summary>As above, in <paramref name="workingDirectory"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string name, IEnumerable<string> args, TimeSpan limit, string? workingDirectory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Require(name)) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
            throw new TimeoutException($"{name} {string.Join(' ', args)} did not finish within {limit.TotalSeconds:0} s:\n{await output}{await error}");
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>Ends a program a test started, and whatever it started, waiting up to 10 s; then releases it.</summary>
    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(limit.Token);
        }

        process.Dispose();
    }
}
