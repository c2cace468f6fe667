using System.Net;
using System.Net.Http.Json;
using HostedPbx.Provisioning.Features.RecordingPolicies;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Recordings;

/// <summary>The tenant's recording policies through the API (issue 10 item 1): set as a whole, refused whole when an input is not the tenant's.</summary>
public sealed class RecordingPolicyApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly ProvisioningFactory _factory = new(database);
    private TestTenants.Arranged _mine = null!;
    private TestTenants.Arranged _other = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _mine = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _other = await TestTenants.AddAsync(owner, "Acme Branch", "0015651a0002", _mine.Reseller);
        _client = _factory.ClientWithKey(await _factory.AddKeyAsync(_mine.Reseller.Id));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Put_PoliciesDefaultAndOverride_AreStoredShownAndAudited()
    {
        var response = await _client.PutAsJsonAsync(Url, new
        {
            policies = new object[] { new { name = "calls", mode = "Always", announce = true }, new { name = "sales", mode = "OnDemand", announce = false } },
            defaultPolicy = "calls",
            extensions = new[] { new { extensionId = _mine.Extension.Id, policy = "sales" } },
        }, _cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await _client.GetFromJsonAsync<RecordingPoliciesResponse>(Url, _cancel);
        Assert.Equal("calls", shown!.DefaultPolicy);
        Assert.Equal(["calls:Always:True", "sales:OnDemand:False"], shown.Policies.Select(p => $"{p.Name}:{p.Mode}:{p.Announce}"));
        Assert.Equal(("201", "sales"), (Assert.Single(shown.Extensions).Name, shown.Extensions[0].Policy));
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(1, await owner.AuditEvents.CountAsync(a => a.Action == "recording-policy.update" && a.TenantId == _mine.Tenant.Id, _cancel));
    }

    [Fact]
    public async Task Put_AnotherTenantsExtension_Returns400AndChangesNothing()
    {
        var response = await _client.PutAsJsonAsync(Url, new
        {
            policies = new[] { new { name = "calls", mode = "Always" } },
            defaultPolicy = "calls",
            extensions = new[] { new { extensionId = _other.Extension.Id, policy = "calls" } },
        }, _cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No such extension in this tenant", await response.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(0, await owner.RecordingPolicies.CountAsync(_cancel));
        Assert.Null((await owner.Tenants.SingleAsync(t => t.Id == _mine.Tenant.Id, _cancel)).DefaultRecordingPolicyId);
    }

    [Fact]
    public async Task Put_UnknownModeOrUndefinedDefault_Returns400()
    {
        var mode = await _client.PutAsJsonAsync(Url, new { policies = new[] { new { name = "calls", mode = "Sometimes" } } }, _cancel);
        var undefined = await _client.PutAsJsonAsync(Url, new { policies = Array.Empty<object>(), defaultPolicy = "nothing" }, _cancel);

        Assert.Equal(HttpStatusCode.BadRequest, mode.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, undefined.StatusCode);
    }

    private string Url => $"/api/v1/tenants/{_mine.Tenant.Id}/recording-policies";
}
