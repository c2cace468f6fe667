using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Api;

/// <summary>An extension's call forwarding through the management API: targets are other extensions of the same tenant.</summary>
public sealed class ExtensionForwardingApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _client = null!;
    private Guid _tenantId;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        var reseller = new Reseller { Name = "Reseller A", CreatedAt = TestClock.Now };
        owner.Resellers.Add(reseller);
        await owner.SaveChangesAsync();
        _client = _factory.ClientWithKey(await _factory.AddKeyAsync(reseller.Id));
        _tenantId = (await PostAsync("/api/v1/tenants", new { settings = new { name = "Acme" } })).GetProperty("id").GetGuid();
        await PostAsync($"/api/v1/tenants/{_tenantId}/extensions", new { number = "203", displayName = "Carol" });
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task CreateThenUpdate_ForwardingToAnExtensionOfTheTenant_IsStoredAndShown()
    {
        var created = await PostAsync($"/api/v1/tenants/{_tenantId}/extensions",
            new { number = "202", displayName = "Bob", forwardBusy = "203", forwardNoAnswer = "203", forwardNoAnswerSeconds = 15 });
        var id = created.GetProperty("id").GetGuid();

        var updated = await _client.PutAsJsonAsync($"/api/v1/tenants/{_tenantId}/extensions/{id}",
            new { number = "202", displayName = "Bob", forwardAlways = "203" }, _ct);

        Assert.Equal("203", created.GetProperty("forwardBusy").GetString());
        Assert.Equal(15, created.GetProperty("forwardNoAnswerSeconds").GetInt32());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await using var owner = database.CreateOwnerContext();
        var stored = await owner.Extensions.SingleAsync(e => e.Id == id, _ct);
        Assert.Equal(("203", null, null, 20), (stored.ForwardAlways, stored.ForwardBusy, stored.ForwardNoAnswer, stored.ForwardNoAnswerSeconds));
    }

    [Theory]
    [InlineData("forwardBusy", "202", "ForwardBusy", "cannot be the extension itself")]
    [InlineData("forwardAlways", "299", "ForwardAlways", "no extension 299")]
    [InlineData("forwardNoAnswer", "2x", "ForwardNoAnswer", "2 to 8 digits")]
    public async Task Create_BadForwardTarget_Returns400NamingTheFieldAndWritesNothing(string field, string target, string error, string words)
    {
        var body = new Dictionary<string, object> { ["number"] = "202", ["displayName"] = "Bob", [field] = target };

        var response = await _client.PostAsJsonAsync($"/api/v1/tenants/{_tenantId}/extensions", body, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Contains(words, problem.GetProperty("errors").GetProperty(error)[0].GetString(), StringComparison.Ordinal);
        await using var owner = database.CreateOwnerContext();
        Assert.False(await owner.Extensions.AnyAsync(e => e.Number == "202", _ct));
    }

    [Fact]
    public async Task Update_ForwardToAnotherTenantsExtension_Returns400AndChangesNothing()
    {
        var other = (await PostAsync("/api/v1/tenants", new { settings = new { name = "Other" } })).GetProperty("id").GetGuid();
        await PostAsync($"/api/v1/tenants/{other}/extensions", new { number = "299", displayName = "Elsewhere" });
        var id = (await PostAsync($"/api/v1/tenants/{_tenantId}/extensions", new { number = "202", displayName = "Bob" })).GetProperty("id").GetGuid();

        var response = await _client.PutAsJsonAsync($"/api/v1/tenants/{_tenantId}/extensions/{id}",
            new { number = "202", displayName = "Bobby", forwardAlways = "299" }, _ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var owner = database.CreateOwnerContext();
        var stored = await owner.Extensions.SingleAsync(e => e.Id == id, _ct);
        Assert.Equal(("Bob", null), (stored.DisplayName, stored.ForwardAlways));
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        var response = await _client.PostAsJsonAsync(path, body, _ct);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
