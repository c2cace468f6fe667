using System.Net;
using System.Net.Http.Json;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Recordings;

/// <summary>A tenant's in-call recording codes through the API: read, changed (audited), and a clash refused with the field named.</summary>
public sealed class RecordingFeatureCodesApiTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly ProvisioningFactory _factory = new(database);
    private TestTenants.Arranged _tenant = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _tenant = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _client = _factory.ClientWithKey(await _factory.AddKeyAsync(_tenant.Reseller.Id));
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Put_StarFiveAndStarSix_IsStoredReadBackAndAudited()
    {
        var before = await _client.GetFromJsonAsync<Codes>(Url, _cancel);
        var put = await _client.PutAsJsonAsync(Url, new { startStop = "*5", pauseResume = "*6" }, _cancel);
        var after = await _client.GetFromJsonAsync<Codes>(Url, _cancel);

        Assert.Equal(new Codes("*1", "*2"), before);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(new Codes("*5", "*6"), after);
        await using var owner = database.CreateOwnerContext();
        var audit = await owner.AuditEvents.AsNoTracking().SingleAsync(a => a.Action == "recording.feature-codes", _cancel);
        Assert.Equal("start/stop *1 → *5, pause/resume *2 → *6", audit.Reason);
    }

    [Fact]
    public async Task Put_ClashWithVoicemailNumberOrBadShape_Returns400NamingTheFieldAndChangesNothing()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.Tenants.Where(t => t.Id == _tenant.Tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.VoicemailAccessNumber, "*50"), _cancel);
        }

        var clash = await _client.PutAsJsonAsync(Url, new { startStop = "*5", pauseResume = "*6" }, _cancel);
        var shape = await _client.PutAsJsonAsync(Url, new { startStop = "*1", pauseResume = "#2" }, _cancel);

        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.Contains("The start/stop code *5 clashes with the voicemail access number *50.", await clash.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, shape.StatusCode);
        Assert.Contains("PauseResume", await shape.Content.ReadAsStringAsync(_cancel), StringComparison.Ordinal);
        Assert.Equal(new Codes("*1", "*2"), await _client.GetFromJsonAsync<Codes>(Url, _cancel));
    }

    private string Url => $"/api/v1/tenants/{_tenant.Tenant.Id}/recording-feature-codes";

    private sealed record Codes(string StartStop, string PauseResume);
}
