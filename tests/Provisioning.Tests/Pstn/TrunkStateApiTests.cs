using System.Net.Http.Json;
using System.Text.Json;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;

namespace HostedPbx.Provisioning.Tests.Pstn;

/// <summary>A trunk's keep-alive state (issue 11) in the API's trunk responses: unknown until a live switch node stored one.</summary>
public sealed class TrunkStateApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private HttpClient _reseller = null!;
    private TestTenants.Arranged _acme = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _acme = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _reseller = _factory.ClientWithKey(await _factory.AddKeyAsync(_acme.Reseller.Id, "reseller"));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task GetAndListTrunks_ANodeFoundItDown_StateSinceAndReasonShown()
    {
        var created = await _reseller.PostAsJsonAsync($"/api/v1/tenants/{_acme.Tenant.Id}/trunks", new { name = "Own", host = "sbc.example.net" }, _ct);
        var trunkId = (await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("id").GetGuid();
        var before = await _reseller.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_acme.Tenant.Id}/trunks/{trunkId}", _ct);
        Assert.Equal(("unknown", JsonValueKind.Null), (before.GetProperty("state").GetString(), before.GetProperty("stateSince").ValueKind));

        await using (var owner = database.CreateOwnerContext())
        {
            owner.SwitchNodes.Add(new SwitchNode { Name = "node-a", SipAddress = "127.0.0.1:5061", CertificateFingerprint = "aa", StartedAt = TestClock.Now, LastHeartbeatAt = TestClock.Now });
            owner.TrunkStates.Add(new TrunkState
            {
                TrunkId = trunkId, TenantId = _acme.Tenant.Id, NodeName = "node-a", State = TrunkReachability.Down, Since = TestClock.Now, Reason = "no answer to OPTIONS within 30 s",
            });
            await owner.SaveChangesAsync(_ct);
        }

        var trunk = await _reseller.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_acme.Tenant.Id}/trunks/{trunkId}", _ct);
        var listed = (await _reseller.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{_acme.Tenant.Id}/trunks", _ct)).GetProperty("items")[0];
        foreach (var shown in new[] { trunk, listed })
        {
            Assert.Equal(("down", TestClock.Now, "no answer to OPTIONS within 30 s"),
                (shown.GetProperty("state").GetString(), shown.GetProperty("stateSince").GetDateTimeOffset(), shown.GetProperty("stateReason").GetString()));
        }
    }
}
