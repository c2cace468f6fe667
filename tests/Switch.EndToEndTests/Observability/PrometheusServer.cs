using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Observability;

/// <summary>
/// Debian's Prometheus, started on a free loopback port with a configuration written for the test (scraping the given
/// targets every second), read through its HTTP API, and stopped after.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, Uri address)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public static async Task<PrometheusServer> StartAsync(string workDirectory, IReadOnlyDictionary<string, string> targets, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(workDirectory, "prometheus")).FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        var scrape = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach (var (job, target) in targets)
        {
            scrape.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    static_configs:\n      - targets: ['{target}']\n");
        }

        await File.WriteAllTextAsync(config, scrape.ToString(), cancellationToken);
        var port = PartProcess.FreePort();
        var info = new ProcessStartInfo(Tool.Require("prometheus"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var server = new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.GetAsync(async () => await server.ReadyAsync() ? "ready" : null, TimeSpan.FromSeconds(60), () => "Prometheus to be ready\n" + server.Log);
        return server;
    }

    /// <summary>The health Prometheus last saw of each scrape target, by job ("up" when it answered).</summary>
    public async Task<IReadOnlyDictionary<string, string>> TargetHealthAsync(CancellationToken cancellationToken)
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync("api/v1/targets", cancellationToken));
        return json.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .ToDictionary(t => t.GetProperty("labels").GetProperty("job").GetString()!, t => t.GetProperty("health").GetString()!);
    }

    /// <summary>An instant query's single value, or null when it has no result (no such series yet).</summary>
    public async Task<double?> QueryAsync(string expression, CancellationToken cancellationToken)
    {
        using var json = JsonDocument.Parse(await _http.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(expression)}", cancellationToken));
        var result = json.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Tool.StopAsync(_process);
        _http.Dispose();
    }

    private async Task<bool> ReadyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"Prometheus exited ({_process.ExitCode}):\n{Log}");
        }

        try
        {
            using var response = await _http.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
