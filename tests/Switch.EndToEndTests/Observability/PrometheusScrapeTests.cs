using System.Text.RegularExpressions;
using HostedPbx.Switch.EndToEndTests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Observability;

/// <summary>
/// Issue 14 item 3: Debian's Prometheus scrapes the switch, Provisioning and Web, and reads the switch's call counter
/// rise by exactly one for one call; a scrape never shows a secret, a tenant's name or a phone number.
/// </summary>
public sealed partial class PrometheusScrapeTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await database.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Prometheus_OneAnsweredCall_ReadsCallCounterRiseByOne()
    {
        await using var platform = await ObservedPlatform.StartAsync(database, _cancel);
        await using var prometheus = await PrometheusServer.StartAsync(platform.Switch.WorkDirectory, platform.Targets, _cancel);
        var health = await Eventually.GetAsync(async () =>
        {
            var targets = await prometheus.TargetHealthAsync(_cancel);
            return targets.Count == 3 && targets.Values.All(h => h == "up") ? targets : null;
        }, TimeSpan.FromSeconds(60), () => "every part scraped\n" + prometheus.Log + platform.Output);
        var before = await prometheus.QueryAsync("sum(hostedpbx_switch_calls_total)", _cancel) ?? 0;
        double? registrations = null;

        await platform.CallAsync(async () => registrations = await Eventually.GetAsync<double?>(
            async () => await prometheus.QueryAsync("sum(hostedpbx_switch_registrations)", _cancel) is >= 2 and var v ? v : (double?)null,
            TimeSpan.FromSeconds(30), "two registrations in Prometheus"), _cancel);
        var after = await Eventually.GetAsync(
            async () => await prometheus.QueryAsync("sum(hostedpbx_switch_calls_total)", _cancel) is { } v && v > before ? (double?)v : null,
            TimeSpan.FromSeconds(30), () => "the call counter to rise\n" + prometheus.Log);
        var answered = await prometheus.QueryAsync("sum(hostedpbx_switch_calls_total{outcome=\"answered\"})", _cancel);
        var apiRequests = await prometheus.QueryAsync("sum(http_server_request_duration_seconds_count{job=\"provisioning\"})", _cancel);

        Assert.Equal(["provisioning", "switch", "web"], health.Keys.Order());
        Assert.Equal(2, registrations);
        Assert.Equal(before + 1, after);
        Assert.Equal(1, answered);
        Assert.True(apiRequests > 0, "Provisioning's request meter is scraped (its /health requests)");
    }

    [Fact]
    public async Task Scrape_AfterACall_ShowsNoSecretTenantNameOrNumber()
    {
        await using var platform = await ObservedPlatform.StartAsync(database, _cancel);
        await platform.CallAsync(() => Task.CompletedTask, _cancel);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var scrapes = new Dictionary<string, string>();
        foreach (var (part, target) in platform.Targets)
        {
            scrapes[part] = await http.GetStringAsync($"http://{target}/metrics", _cancel);
        }

        var tenant = platform.Switch.Tenant!;
        var labels = scrapes.Values.SelectMany(s => LabelValue().Matches(s).Select(m => m.Groups[1].Value)).Distinct().ToList();
        var secrets = new[]
        {
            platform.MasterKey, tenant.Name, "E2E Reseller", SwitchUnderTest.MacOf("201"), SwitchUnderTest.MacOf("202"),
            platform.Switch.DeviceCertificate("201").SerialNumber, platform.Switch.DeviceCertificate("201").Fingerprint, "sip:",
        };
        string[] numbers = ["201", "202", "203"];

        Assert.Contains("hostedpbx_switch_calls_total{", scrapes["switch"], StringComparison.Ordinal);
        // The runtime's meter, from every part: how much of a node's memory is the managed heap, how much the GC holds.
        Assert.All(scrapes, s => Assert.Contains("dotnet_gc_last_collection_memory_committed_size_bytes{", s.Value, StringComparison.Ordinal));
        Assert.Contains("hostedpbx_web_jobs{", scrapes["web"], StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", scrapes["provisioning"], StringComparison.Ordinal);
        Assert.All(scrapes, s => Assert.All(secrets, secret => Assert.DoesNotContain(secret, s.Value, StringComparison.OrdinalIgnoreCase)));
        Assert.All(labels, value => Assert.DoesNotContain(value, numbers));
        Assert.DoesNotContain(labels, value => value.Contains(tenant.Name, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Scrape_FromOutsideAllowedNetworks_Answers404()
    {
        var port = PartProcess.FreePort();
        await using var web = PartProcess.Start("Web", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = database.AppConnectionString,
            ["Kestrel__Endpoints__Https__Url"] = $"http://127.0.0.1:{port}",
            ["Keys__MasterKey"] = Convert.ToBase64String(new byte[32]),
            ["Telemetry__MetricsAllowedNetworks__0"] = "10.0.0.0/8",
        });
        await ObservedPlatform.WaitHealthyAsync(web, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"), _cancel);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("=\"([^\"]*)\"")]
    private static partial Regex LabelValue();
}
