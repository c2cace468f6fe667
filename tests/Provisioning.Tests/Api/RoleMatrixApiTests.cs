using System.Net;
using System.Text.RegularExpressions;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using HostedPbx.Testing.Pstn;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Api;

/// <summary>
/// Walks the API table of docs/roles.md through the real API: every route is in the table, and each GET answers an
/// operator's, a reseller's and a compliance officer's personal key (on its own tenant) as its row says: allowed, or 404 for a route that is not theirs.
/// </summary>
public sealed partial class RoleMatrixApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private TestTenants.Arranged _a = null!;
    private Dictionary<string, string> _ids = null!;
    private HttpClient _operator = null!;
    private HttpClient _reseller = null!;
    private HttpClient _officer = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _a = await TestTenants.AddAsync(owner, "Alpha", "0015651a0001");
        _operator = _factory.ClientWithKey(await _factory.AddKeyAsync(null, "operator"));
        _reseller = _factory.ClientWithKey(await _factory.AddKeyAsync(_a.Reseller.Id, "reseller"));
        _ids = new Dictionary<string, string>
        {
            ["tenantId"] = _a.Tenant.Id.ToString(), ["extensionId"] = _a.Extension.Id.ToString(), ["deviceId"] = _a.Device.Id.ToString(),
            ["keyId"] = (await owner.ApiKeys.SingleAsync(k => k.Name == "reseller")).Id.ToString(),
            ["callId"] = (await TestCalls.AddAsync(owner, _a.Tenant.Id)).Id.ToString(),
            ["messageId"] = (await TestVoicemail.AddAsync(owner, _factory.VoicemailDirectory, ProvisioningFactory.MasterKey, _a.Tenant.Id,
                _a.Extension.Id, TestVoicemail.Tone(440, 1))).Id.ToString(),
        };
        _officer = _factory.ClientWithKey((await Recordings.TestOfficers.AddAsync(database, _a.Tenant.Id, "officer")).Key);
        _ids["recordingId"] = (await TestRecordings.AddAsync(database, _factory.RecordingsDirectory, _a.Tenant.Id,
            ProvisioningFactory.MasterKey)).Recording.Id.ToString();
        var pstn = await TestPstn.AddAsync(owner, _a.Tenant.Id, _a.Extension.Id);
        _ids["trunkId"] = pstn.Trunk.Id.ToString();
        _ids["numberId"] = pstn.Number.Id.ToString();
        _ids["routeId"] = pstn.Route.Id.ToString();
        _ids["carrierId"] = pstn.Carrier.Id.ToString();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task EveryRoute_AnswersEachKeyAsDocsRolesSays()
    {
        var rows = ApiRows();
        Assert.NotEmpty(rows);
        var failures = new List<string>();

        foreach (var route in ApiRoutes.All(_factory.Services))
        {
            var row = rows.FirstOrDefault(r => r.Covers(route.Pattern));
            if (row is null)
            {
                failures.Add($"{route.Method} {route.Pattern} is not in docs/roles.md");
                continue;
            }

            if (route.Method != "GET" || route.Pattern.Contains("{certificateId}", StringComparison.Ordinal) || route.Pattern.Contains("{token}", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Regex.Replace(route.Pattern, @"\{(\w+)\}", m => _ids.GetValueOrDefault(m.Groups[1].Value, Guid.NewGuid().ToString()));
            foreach (var (key, name, allowed) in new[] { (_operator, "operator", row.Operator), (_reseller, "reseller", row.Reseller), (_officer, "officer's personal", row.Officer) })
            {
                var status = (await key.GetAsync(path, TestContext.Current.CancellationToken)).StatusCode;
                if (allowed != (status == HttpStatusCode.OK))
                {
                    failures.Add($"GET {route.Pattern} with the {name} key answered {(int)status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed record Row(string[] Paths, bool Operator, bool Reseller, bool Officer)
    {
        public bool Covers(string pattern) => Paths.Any(p => p.EndsWith("/**", StringComparison.Ordinal)
            ? pattern == "/api/v1" + p[..^3] || pattern.StartsWith("/api/v1" + p[..^2], StringComparison.Ordinal)
            : pattern == "/api/v1" + p);
    }

    /// <summary>The rows of the table under "## Management API" in docs/roles.md.</summary>
    private static List<Row> ApiRows()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HostedPbx.sln")))
        {
            directory = directory.Parent;
        }

        var text = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "roles.md"));
        var section = text[text.IndexOf("## Management API", StringComparison.Ordinal)..];
        return [.. section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal) || l.StartsWith("| /", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => new Row(
                [.. PathPattern().Matches(cells[1]).Select(m => m.Value)],
                cells[2].StartsWith("yes", StringComparison.Ordinal), cells[3].StartsWith("yes", StringComparison.Ordinal),
                cells[4].StartsWith("yes", StringComparison.Ordinal)))];
    }

    [GeneratedRegex(@"/[A-Za-z0-9{}/*-]+")]
    private static partial Regex PathPattern();
}
