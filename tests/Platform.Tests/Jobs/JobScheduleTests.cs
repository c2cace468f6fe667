using System.Net;
using HostedPbx.Testing;
using Npgsql;

namespace HostedPbx.Platform.Tests.Jobs;

/// <summary>Web, started as ./pbx starts it, puts the platform's recurring jobs in the job store and keeps its dashboard from strangers.</summary>
public sealed class JobScheduleTests(PostgresFixture database)
{
    [Fact]
    public async Task Web_Started_SchedulesCertificateJobsAndRefusesAnonymousDashboard()
    {
        var port = PartProcess.FreePort();
        await using var web = PartProcess.Start("Web", new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = database.AppConnectionString,
            ["Kestrel__Endpoints__Https__Url"] = $"http://127.0.0.1:{port}",
            ["Keys__MasterKey"] = Convert.ToBase64String(new byte[32]),
        });
        await web.WaitHealthyAsync(new Uri($"http://127.0.0.1:{port}/health"));

        var scheduled = await RecurringJobsAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var dashboard = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/hangfire"), TestContext.Current.CancellationToken);

        Assert.Contains("certificate-expiry-sweep", scheduled);
        Assert.Contains("crl-refresh", scheduled);
        Assert.True(dashboard.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Redirect,
            $"the dashboard answered {(int)dashboard.StatusCode} to a stranger");
        Assert.DoesNotContain("HostedPbx jobs", await dashboard.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private async Task<List<string>> RecurringJobsAsync()
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT value FROM hangfire.set WHERE key = 'recurring-jobs'", connection);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
