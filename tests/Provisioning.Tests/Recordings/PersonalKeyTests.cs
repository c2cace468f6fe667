using System.Net;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Recordings;

/// <summary>
/// A compliance officer's personal key: it reaches its own tenant's recordings without any grant, nothing else (404),
/// names the officer in the audit log, and dies with the officer's role, account or revocation.
/// </summary>
public sealed class PersonalKeyTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly CancellationToken _cancel = TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("api-personal-").FullName;
    private readonly ProvisioningFactory _factory = new(database);
    private WebApplicationFactory<Program> _app = null!;
    private TestTenants.Arranged _tenant = null!;
    private PortalUser _officer = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _tenant = await TestTenants.AddAsync(owner, "Acme", "0015651a0001");
        _app = _factory.WithWebHostBuilder(b => b.UseSetting("Recordings:Directory", _folder));
        (_officer, var key) = await TestOfficers.AddAsync(database, _tenant.Tenant.Id, "olivia");
        _client = _app.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Audio_OwnTenantWithoutAnyGrant_StreamsTheWavAndTheAuditNamesTheOfficer()
    {
        var (recording, pcm) = await TestRecordings.AddAsync(database, _folder, _tenant.Tenant.Id, ProvisioningFactory.MasterKey);

        var search = await _client.GetStringAsync(Url(""), _cancel);
        var wav = await _client.GetByteArrayAsync(Url($"/{recording.Id}/audio"), _cancel);

        Assert.Contains(recording.Id.ToString(), search, StringComparison.Ordinal);
        Assert.Equal(pcm, wav[44..]);
        await using var owner = database.CreateOwnerContext();
        var play = await owner.AuditEvents.AsNoTracking().SingleAsync(a => a.Action == "recording.play", _cancel);
        Assert.Equal(AuditOutcome.Success, play.Outcome);
        Assert.Equal("olivia", play.ActorName);
        Assert.StartsWith(_officer.Id.ToString(), play.ActorId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/tenants")]
    [InlineData("/api/v1/tenants/{tenant}")]
    [InlineData("/api/v1/tenants/{tenant}/extensions")]
    [InlineData("/api/v1/tenants/{tenant}/calls")]
    [InlineData("/api/v1/api-keys")]
    [InlineData("/api/v1/trust-anchors")]
    public async Task AnyRouteButRecordings_Returns404(string route)
    {
        var response = await _client.GetAsync(route.Replace("{tenant}", _tenant.Tenant.Id.ToString(), StringComparison.Ordinal), _cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Search_AfterTheUserIsNoLongerAnOfficer_Returns401()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(Url(""), _cancel)).StatusCode);
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.Users.Where(u => u.Id == _officer.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, PortalRole.TenantAdmin), _cancel);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync(Url(""), _cancel)).StatusCode);
    }

    [Fact]
    public async Task Search_AfterTheKeyIsRevokedOrTheUserDeleted_Returns401()
    {
        var (other, otherKey) = await TestOfficers.AddAsync(database, _tenant.Tenant.Id, "oscar");
        using var otherClient = _app.CreateClient();
        otherClient.DefaultRequestHeaders.Add("X-Api-Key", otherKey);
        await using (var owner = database.CreateOwnerContext())
        {
            await owner.ApiKeys.Where(k => k.UserId == _officer.Id).ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, TestClock.Now), _cancel);
            await owner.Users.Where(u => u.Id == other.Id).ExecuteDeleteAsync(_cancel);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync(Url(""), _cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherClient.GetAsync(Url(""), _cancel)).StatusCode);
    }

    private string Url(string rest) => $"/api/v1/tenants/{_tenant.Tenant.Id}/recordings{rest}";
}
