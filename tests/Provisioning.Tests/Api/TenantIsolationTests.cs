using System.Net;
using System.Net.Http.Json;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using HostedPbx.Testing.Pstn;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Tests.Api;

/// <summary>One reseller's key can neither see nor change anything of another reseller's, on every route.</summary>
public sealed class TenantIsolationTests(PostgresFixture database) : IAsyncLifetime
{
    private readonly ProvisioningFactory _factory = new(database);
    private TestTenants.Arranged _mine = null!;
    private TestTenants.Arranged _theirs = null!;
    private Guid _theirKeyId;
    private Guid _theirCallId;
    private Guid _theirMessageId;
    private TestPstn.Arranged _theirPstn = null!;
    private Guid _theirRecordingId;
    private Guid _theirHoldId;
    private HttpClient _client = null!;
    private HttpClient _officer = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await using var owner = database.CreateOwnerContext();
        _mine = await TestTenants.AddAsync(owner, "Mine", "0015651a0001");
        _theirs = await TestTenants.AddAsync(owner, "Theirs", "0015651a0002");
        _client = _factory.ClientWithKey(await _factory.AddKeyAsync(_mine.Reseller.Id));
        await _factory.AddKeyAsync(_theirs.Reseller.Id, "theirs");
        _theirKeyId = (await owner.ApiKeys.SingleAsync(k => k.Name == "theirs")).Id;
        _theirCallId = (await TestCalls.AddAsync(owner, _theirs.Tenant.Id)).Id;
        _theirMessageId = (await TestVoicemail.AddAsync(owner, _factory.VoicemailDirectory, ProvisioningFactory.MasterKey, _theirs.Tenant.Id,
            _theirs.Extension.Id, TestVoicemail.Tone(440, 1))).Id;
        _theirPstn = await TestPstn.AddAsync(owner, _theirs.Tenant.Id, _theirs.Extension.Id);
        // Their recording, and their tenant lets its own reseller listen: still nothing for another reseller's key.
        var recording = new Data.Entities.Recording
        {
            TenantId = _theirs.Tenant.Id, CallRecordId = _theirCallId, StoragePath = $"{Guid.NewGuid():N}.sealed", WrappedDataKey = [1], StartedAt = TestClock.Now,
        };
        owner.Recordings.Add(recording);
        owner.RetentionSettings.Add(new Data.Entities.RetentionSettings { TenantId = _theirs.Tenant.Id, ResellerMayListen = true });
        await owner.SaveChangesAsync();
        _theirRecordingId = recording.Id;
        var hold = new Data.Entities.LegalHold
        {
            TenantId = _theirs.Tenant.Id, Scope = Data.Entities.LegalHoldScope.Recording, RecordingId = recording.Id, Reason = "theirs", PlacedBy = "them", PlacedAt = TestClock.Now,
        };
        owner.LegalHolds.Add(hold);
        await owner.SaveChangesAsync();
        _theirHoldId = hold.Id;

        // A compliance officer of my tenant, with a personal key: their tenant's real ids are as unknown to it as to my reseller's key.
        _officer = _factory.ClientWithKey((await Recordings.TestOfficers.AddAsync(database, _mine.Tenant.Id, "officer")).Key);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryRouteWithAnotherResellersIds_Returns404AndChangesNothing(bool officersPersonalKey)
    {
        var client = officersPersonalKey ? _officer : _client;
        var routes = ApiRoutes.All(_factory.Services).Where(r => r.Pattern.Contains('{', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(routes);
        var before = await SnapshotAsync();

        foreach (var route in routes)
        {
            var path = route.Pattern.Replace("{tenantId}", _theirs.Tenant.Id.ToString(), StringComparison.Ordinal)
                .Replace("{extensionId}", _theirs.Extension.Id.ToString(), StringComparison.Ordinal)
                .Replace("{deviceId}", _theirs.Device.Id.ToString(), StringComparison.Ordinal)
                .Replace("{keyId}", _theirKeyId.ToString(), StringComparison.Ordinal)
                .Replace("{callId}", _theirCallId.ToString(), StringComparison.Ordinal)
                .Replace("{messageId}", _theirMessageId.ToString(), StringComparison.Ordinal)
                .Replace("{kind}", "Unavailable", StringComparison.Ordinal)
                .Replace("{recordingId}", _theirRecordingId.ToString(), StringComparison.Ordinal)
                .Replace("{holdId}", _theirHoldId.ToString(), StringComparison.Ordinal)
                .Replace("{certificateId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{anchorId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{token}", "not-a-token", StringComparison.Ordinal)
                .Replace("{trunkId}", _theirPstn.Trunk.Id.ToString(), StringComparison.Ordinal)
                .Replace("{numberId}", _theirPstn.Number.Id.ToString(), StringComparison.Ordinal)
                .Replace("{routeId}", _theirPstn.Route.Id.ToString(), StringComparison.Ordinal)
                .Replace("{carrierId}", _theirPstn.Carrier.Id.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
            if (route.Method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { });
            }

            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route.Method} {route.Pattern} answered {(int)response.StatusCode}");
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ListTenants_ShowsOnlyTheCallersTenants()
    {
        var body = await _client.GetStringAsync("/api/v1/tenants", TestContext.Current.CancellationToken);

        Assert.Contains(_mine.Tenant.Id.ToString(), body, StringComparison.Ordinal);
        Assert.DoesNotContain(_theirs.Tenant.Id.ToString(), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListCalls_OwnTenant_ShowsOnlyItsCallsWithTheirSecurityFacts()
    {
        await using (var owner = database.CreateOwnerContext())
        {
            await TestCalls.AddAsync(owner, _mine.Tenant.Id, "201", "203");
        }

        var body = await _client.GetStringAsync($"/api/v1/tenants/{_mine.Tenant.Id}/calls", TestContext.Current.CancellationToken);

        Assert.Contains("\"to\":\"203\"", body, StringComparison.Ordinal);
        Assert.Contains("AEAD_AES_128_GCM", body, StringComparison.Ordinal);
        Assert.Contains("Who could still hear this call", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_theirCallId.ToString(), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindLines_ToAnotherTenantsExtension_IsRefused()
    {
        var response = await _client.PutAsJsonAsync($"/api/v1/tenants/{_mine.Tenant.Id}/devices/{_mine.Device.Id}/lines",
            new { lines = new[] { _theirs.Extension.Id } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var owner = database.CreateOwnerContext();
        Assert.Equal(_mine.Extension.Id, (await owner.DeviceLines.SingleAsync(l => l.DeviceId == _mine.Device.Id, TestContext.Current.CancellationToken)).ExtensionId);
    }

    private async Task<string> SnapshotAsync()
    {
        await using var owner = database.CreateOwnerContext();
        var theirs = _theirs.Tenant.Id;
        var tenant = await owner.Tenants.AsNoTracking().SingleAsync(t => t.Id == theirs);
        var extensions = await owner.Extensions.AsNoTracking().Where(e => e.TenantId == theirs).Select(e => e.Number + e.DisplayName).ToListAsync();
        var devices = await owner.Devices.AsNoTracking().Where(d => d.TenantId == theirs).Select(d => d.Mac + d.Status).ToListAsync();
        var lines = await owner.DeviceLines.AsNoTracking().CountAsync(l => l.TenantId == theirs);
        var keys = await owner.ApiKeys.AsNoTracking().Where(k => k.Id == _theirKeyId).Select(k => k.RevokedAt).SingleAsync();
        var voicemail = await owner.VoicemailMessages.AsNoTracking().Where(m => m.TenantId == theirs).Select(m => m.Status + "" + m.HeardAt).ToListAsync();
        var mailbox = await owner.Extensions.AsNoTracking().Where(e => e.TenantId == theirs)
            .Select(e => e.VoicemailPinHash + e.VoicemailEmail + e.ForwardNoAnswerSeconds).ToListAsync();
        var pstn = await owner.Trunks.AsNoTracking().Where(t => t.TenantId == theirs).Select(t => t.Name + t.CarrierId).SingleAsync()
            + await owner.InboundNumbers.AsNoTracking().Where(n => n.TenantId == theirs).Select(n => n.Number + n.DestinationExtensionId).SingleAsync()
            + await owner.OutboundRoutes.AsNoTracking().Where(r => r.TenantId == theirs).Select(r => r.Pattern + r.Priority).SingleAsync()
            + await owner.PstnSettings.AsNoTracking().Where(p => p.TenantId == theirs).Select(p => p.Country + p.OutboundSuspendedAt).SingleAsync()
            + await owner.Carriers.AsNoTracking().Where(c => c.Id == _theirPstn.Carrier.Id).Select(c => c.Name + c.Host).SingleAsync();
        var holds = await owner.LegalHolds.AsNoTracking().Where(h => h.TenantId == theirs).Select(h => h.Id + "" + h.LiftedAt).ToListAsync();
        return $"{tenant.Name}|{tenant.Status}|{string.Join(",", extensions)}|{string.Join(",", devices)}|{lines}|{keys}|{string.Join(",", voicemail)}|{string.Join(",", mailbox)}|{pstn}|{string.Join(",", holds)}";
    }
}
