using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace HostedPbx.Switch.LoadTool.Setup;

/// <summary>
/// The built switch started as a child process on loopback (as the end-to-end tests start it), or a running switch
/// given by its SIP address and process id. Keeps the sum of "N packets relayed" from the switch's call-ended log lines.
/// </summary>
internal sealed partial class SwitchUnderLoad : IAsyncDisposable
{
    // HOSTEDPBX_LOAD_SWITCH_LOG=1 echoes the switch's log (at Information) to stderr, to see why a run fails.
    private static readonly bool s_echo = Environment.GetEnvironmentVariable("HOSTEDPBX_LOAD_SWITCH_LOG") == "1";
    private readonly ProcessStartInfo? _start;
    private readonly Uri? _health;
    private Process? _child;
    private long _packetsLogged;
    private int _callsEnded;
    private int _errorLines;

    private SwitchUnderLoad(IPEndPoint sip, int pid, ProcessStartInfo? start = null, Uri? health = null)
    {
        Sip = sip;
        Pid = pid;
        _start = start;
        _health = health;
    }

    public IPEndPoint Sip { get; }

    /// <summary>The switch's process id (a new one after <see cref="RestartAsync"/>).</summary>
    public int Pid { get; private set; }

    /// <summary>Packets relayed, summed over the calls the switch logged as ended.</summary>
    public long PacketsLogged => Interlocked.Read(ref _packetsLogged);

    public int CallsEnded => Volatile.Read(ref _callsEnded);

    public int ErrorLines => Volatile.Read(ref _errorLines);

    /// <summary>The started switch's Prometheus endpoint (null for a running one given with --target).</summary>
    public Uri? Metrics => _health is null ? null : new Uri(_health, "/metrics");

    public static SwitchUnderLoad Target(IPEndPoint sip, int pid) => new(sip, pid);

    public static async Task<SwitchUnderLoad> StartAsync(
        string switchDll, string switchConnectionString, string certificatePath, string keyPath, int mediaPorts,
        IEnumerable<KeyValuePair<string, string>> extraEnvironment, CancellationToken cancellationToken)
    {
        if (!File.Exists(switchDll))
        {
            throw new FileNotFoundException($"{switchDll} is not built: dotnet build -c Release src/Switch.");
        }

        var sipPort = FreePort();
        var adminPort = FreePort();
        // Below Linux's ephemeral range (32768+), where the tool's own media sockets are bound.
        var mediaBase = 20000 + (Random.Shared.Next(0, 4) * 3000);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(switchDll);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__ConnectionString"] = switchConnectionString,
            ["Kestrel__Endpoints__Admin__Url"] = $"http://127.0.0.1:{adminPort}",
            ["Switch__NodeName"] = "load",
            ["Switch__SipListen"] = $"127.0.0.1:{sipPort}",
            ["Switch__CertificatePath"] = certificatePath,
            ["Switch__PrivateKeyPath"] = keyPath,
            ["Switch__MediaPortMin"] = mediaBase.ToString(CultureInfo.InvariantCulture),
            ["Switch__MediaPortMax"] = (mediaBase + mediaPorts - 1).ToString(CultureInfo.InvariantCulture),
            // Registrations must outlive the run without refreshes.
            ["Switch__MaxExpiresSeconds"] = "3600",
            ["Logging__LogLevel__Default"] = s_echo ? "Information" : "Warning",
            // The call-ended lines carry the switch's own relayed-packet count.
            ["Logging__LogLevel__HostedPbx.Switch.Sip"] = "Information",
        };
        foreach (var (key, value) in environment.Concat(extraEnvironment))
        {
            info.Environment[key] = value;
        }

        var sut = new SwitchUnderLoad(new IPEndPoint(IPAddress.Loopback, sipPort), 0, info, new Uri($"http://127.0.0.1:{adminPort}/health"));
        await sut.LaunchAsync(cancellationToken);
        return sut;
    }

    /// <summary>
    /// Stops the switch as a service manager would (SIGTERM), then starts it again with the same ports, certificate
    /// and settings, and waits until it is healthy: what an upgrade or a crash-and-restart looks like to its handsets.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var stopped = _child;
        await StopAsync();
        stopped?.Dispose();
        await LaunchAsync(cancellationToken);
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var process = Process.Start(_start!) ?? throw new InvalidOperationException("dotnet did not start.");
        _child = process;
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitHealthyAsync(_health!, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _child?.Dispose();
    }

    private async Task StopAsync()
    {
        if (_child is null)
        {
            return;
        }

        if (!_child.HasExited)
        {
            // What a service manager sends; then a bounded wait.
            using (var kill = Process.Start("kill", ["-TERM", _child.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _child.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _child.Kill(entireProcessTree: true);
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        var match = PacketsRelayed().Match(line);
        if (s_echo)
        {
            Console.Error.WriteLine($"[switch] {line}");
        }

        if (match.Success)
        {
            Interlocked.Add(ref _packetsLogged, long.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            Interlocked.Increment(ref _callsEnded);
        }
        else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errorLines);
            if (!s_echo)
            {
                Console.Error.WriteLine($"[switch] {line}");
            }
        }
    }

    private async Task WaitHealthyAsync(Uri health, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            if (_child!.HasExited)
            {
                throw new InvalidOperationException($"The switch exited ({_child.ExitCode}) before it was healthy.");
            }

            try
            {
                if (await http.GetStringAsync(health, cancellationToken) == "Healthy")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"{health} did not answer Healthy within a minute.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"ended: \w+, (\d+) packets relayed")]
    private static partial Regex PacketsRelayed();
}
