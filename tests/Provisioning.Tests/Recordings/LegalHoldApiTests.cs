using System.Net;
using System.Net.Http.Json;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Recordings;

/// <summary>Legal holds through the API (issue 10 item 5): placed on the tenant's own objects only, lifted once, every change audited.</summary>
public sealed class LegalHoldApiTests(PostgresFixture database) : IAsyncLifetime
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
        // Another tenant of the same reseller: its extension is not one of Acme's.
        _other = await TestTenants.AddAsync(owner, "Acme Branch", "0015651a0002", _mine.Reseller);
        _client = _factory.ClientWithKey(await _factory.AddKeyAsync(_mine.Reseller.Id));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task PlaceThenLift_ExtensionHold_IsListedInForceThenLiftedAndBothAreAudited()
    {
        var placed = await _client.PostAsJsonAsync(Url(""), new { scope = "Extension", extensionId = _mine.Extension.Id, reason = "case 2026-17" }, _cancel);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var hold = await placed.Content.ReadFromJsonAsync<Hold>(_cancel);
        Assert.True(hold!.InForce);

        var noReason = await _client.PostAsync(Url($"/{hold.Id}/lift"), null, _cancel);
        var lifted = await _client.PostAsJsonAsync(Url($"/{hold.Id}/lift"), new { reason = "case closed" }, _cancel);
        var again = await _client.PostAsJsonAsync(Url($"/{hold.Id}/lift"), new { reason = "case closed" }, _cancel);
        var list = await _client.GetFromJsonAsync<Hold[]>(Url(""), _cancel);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("A reason for lifting the hold", await noReason.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var listed = Assert.Single(list!);
        Assert.False(listed.InForce);
        Assert.Equal("case closed", listed.LiftReason);
        await using var owner = database.CreateOwnerContext();
        var audited = await owner.AuditEvents.AsNoTracking().Where(a => a.TargetId == hold.Id.ToString()).Select(a => a.Action).ToListAsync(_cancel);
        Assert.Equal(["legal-hold.place", "legal-hold.lift"], audited.Order().Reverse());
    }

    [Fact]
    public async Task Place_AnotherTenantsExtension_Returns400AndWritesNothing()
    {
        var response = await _client.PostAsJsonAsync(Url(""), new { scope = "Extension", extensionId = _other.Extension.Id, reason = "case" }, _cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("extensionId", await response.Content.ReadAsStringAsync(_cancel), StringComparison.OrdinalIgnoreCase);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(0, await owner.LegalHolds.CountAsync(_cancel));
    }

    [Fact]
    public async Task Place_NoReasonOrUnknownScope_Returns400()
    {
        var noReason = await _client.PostAsJsonAsync(Url(""), new { scope = "Tenant" }, _cancel);
        var badScope = await _client.PostAsJsonAsync(Url(""), new { scope = "Everything", reason = "x" }, _cancel);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);
    }

    private string Url(string rest) => $"/api/v1/tenants/{_mine.Tenant.Id}/legal-holds{rest}";

    private sealed record Hold(Guid Id, string Scope, bool InForce, string? LiftReason);
}
