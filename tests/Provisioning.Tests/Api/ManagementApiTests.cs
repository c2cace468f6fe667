using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Api;

public sealed class ManagementApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private Guid _resellerId;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        var reseller = new Reseller { Name = "Reseller A", CreatedAt = TestClock.Now };
        owner.Resellers.Add(reseller);
        await owner.SaveChangesAsync();
        _resellerId = reseller.Id;
        _client = _factory.ClientWithKey(await _factory.AddKeyAsync(_resellerId));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Onboarding_TenantExtensionsAndHandset_AreStoredAndAudited()
    {
        var tenant = await PostAsync("/api/v1/tenants", new { settings = new { name = "Acme", timeZone = "Europe/Berlin" } });
        var tenantId = tenant.GetProperty("id").GetGuid();
        var e201 = await PostAsync($"/api/v1/tenants/{tenantId}/extensions", new { number = "201", displayName = "Alice" });
        var e202 = await PostAsync($"/api/v1/tenants/{tenantId}/extensions", new { number = "202", displayName = "Bob" });
        var device = await PostAsync($"/api/v1/tenants/{tenantId}/devices", new
        {
            mac = "00-15-65-1A-2B-3C", vendor = "Yealink", model = "T54W",
            lines = new[] { e202.GetProperty("id").GetGuid(), e201.GetProperty("id").GetGuid() },
        });

        Assert.Equal("0015651a2b3c", device.GetProperty("mac").GetString());
        Assert.Equal(["202", "201"], device.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("number").GetString()));
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(_resellerId, (await owner.Tenants.SingleAsync(TestContext.Current.CancellationToken)).ResellerId);
        Assert.Equal(["device.create", "extension.create", "extension.create", "tenant.create"],
            (await owner.AuditEvents.Select(a => a.Action).ToListAsync(TestContext.Current.CancellationToken)).Order());
    }

    [Theory]
    [InlineData("00:15:65:1A:2B")]
    [InlineData("0015651a2b3g")]
    [InlineData("00:15-65:1a:2b:3c")]
    public async Task CreateDevice_MalformedMac_Returns400NamingTheFieldAndWritesNothing(string mac)
    {
        var tenantId = await AddTenantAsync("Acme");

        var response = await _client.PostAsJsonAsync($"/api/v1/tenants/{tenantId}/devices",
            new { mac, vendor = "Snom", model = "D785" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Mac", out _));
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(0, await owner.Devices.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateDevice_MacOnAnotherResellersDevice_Returns400ClaimRefusedWithoutNamingTheOwner()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            await TestTenants.AddAsync(owner, "Other", "0015651a2b3c");
        }

        var tenantId = await AddTenantAsync("Acme");

        var response = await _client.PostAsJsonAsync($"/api/v1/tenants/{tenantId}/devices",
            new { mac = "0015.651a.2b3c", vendor = "Yealink", model = "T54W" }, TestContext.Current.CancellationToken);

        // The answer of any claim that cannot be granted (HandsetClaimTests): no 409 that would say "someone has it".
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Other", body, StringComparison.Ordinal);
        Assert.Contains("cannot be claimed", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateExtension_BadNumber_Returns400WithFieldError()
    {
        var tenantId = await AddTenantAsync("Acme");

        var response = await _client.PostAsJsonAsync($"/api/v1/tenants/{tenantId}/extensions",
            new { number = "2x1", displayName = "Alice" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("2 to 8 digits", problem.GetProperty("errors").GetProperty("Number")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateExtension_OverTenantLimit_Returns409()
    {
        var tenant = await PostAsync("/api/v1/tenants", new { settings = new { name = "Tiny", maxExtensions = 1 } });
        var tenantId = tenant.GetProperty("id").GetGuid();
        await PostAsync($"/api/v1/tenants/{tenantId}/extensions", new { number = "201", displayName = "Alice" });

        var response = await _client.PostAsJsonAsync($"/api/v1/tenants/{tenantId}/extensions",
            new { number = "202", displayName = "Bob" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task CreateTenant_UnknownSrtpSuite_Returns400()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/tenants",
            new { settings = new { name = "Acme", allowedSrtpSuites = new[] { "NULL_NULL" } } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("hpbx_notarealkeyatall_xxxxxxxx")]
    [InlineData("Bearer something")]
    public async Task AnyRoute_WithoutValidKey_Returns401Problem(string? key)
    {
        var response = await _factory.ClientWithKey(key).GetAsync("/api/v1/tenants", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RevokedKey_Returns401()
    {
        var key = await PostAsync("/api/v1/api-keys", new { name = "script" });
        var plaintext = key.GetProperty("key").GetString();
        var response = await _client.DeleteAsync($"/api/v1/api-keys/{key.GetProperty("id").GetGuid()}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var after = await _factory.ClientWithKey(plaintext).GetAsync("/api/v1/tenants", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ApiKeys_ListNeverShowsTheSecret()
    {
        var created = await PostAsync("/api/v1/api-keys", new { name = "script" });

        var list = await _client.GetStringAsync("/api/v1/api-keys", TestContext.Current.CancellationToken);

        Assert.DoesNotContain(created.GetProperty("key").GetString()!, list, StringComparison.Ordinal);
        Assert.Contains(created.GetProperty("prefix").GetString()!, list, StringComparison.Ordinal);
        await using var owner = database.CreateOwnerContext();
        Assert.All(await owner.ApiKeys.ToListAsync(TestContext.Current.CancellationToken), k => Assert.Equal(32, k.SecretHash.Length));
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWith413AndWritesNothing()
    {
        var huge = new string('x', (int)ApiLimits.MaxRequestBodyBytes + 1);

        var response = await _client.PostAsJsonAsync("/api/v1/tenants", new { settings = new { name = huge } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(0, await owner.Tenants.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ListTenants_IsPaged()
    {
        for (var i = 0; i < 5; i++)
        {
            await AddTenantAsync($"T{i}");
        }

        var page = await _client.GetFromJsonAsync<JsonElement>("/api/v1/tenants?page=2&pageSize=2", TestContext.Current.CancellationToken);

        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(["T2", "T3"], page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryRoute()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        foreach (var route in ApiRoutes.All(_factory.Services))
        {
            Assert.Contains(route.Pattern, paths);
        }
    }

    private async Task<Guid> AddTenantAsync(string name) =>
        (await PostAsync("/api/v1/tenants", new { settings = new { name } })).GetProperty("id").GetGuid();

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        var response = await _client.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
