using System.Net;
using System.Net.Http.Json;
using HostedPbx.Data.Entities;
using HostedPbx.Provisioning.Tests.Support;
using HostedPbx.Testing;
using HostedPbx.Testing.Failover;

namespace HostedPbx.Provisioning.Tests.Failover;

/// <summary>
/// The API over a database that goes away and comes back (a restart, the seconds of a failover): its pooled connections
/// die with it, and the first request after must still succeed. Before, it answered 500 (issue 14).
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private ScratchCluster? _cluster;
    private PostgresFixture? _database;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _cluster = await ScratchCluster.StartAsync();
        _database = await PostgresFixture.CreateAsync(_cluster.OwnerConnectionString, "hostedpbx_outage");
    }

    [Fact]
    public async Task Api_DatabaseRestartedUnderIt_FirstRequestsAfterSucceed()
    {
        await using var factory = new ProvisioningFactory(_database!);
        var reseller = new Reseller { Name = "Outage Reseller", CreatedAt = TestClock.Now };
        await using (var owner = _database!.CreateOwnerContext())
        {
            owner.Resellers.Add(reseller);
            await owner.SaveChangesAsync(Cancel);
        }

        using var client = factory.ClientWithKey(await factory.AddKeyAsync(reseller.Id));
        // Fills the pool: these connections are the ones the restart kills.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenants", Cancel)).StatusCode);

        await _cluster!.StopServerAsync();
        await _cluster.StartServerAsync();

        var list = await client.GetAsync("/api/v1/tenants", Cancel);
        // A write with its own transaction (tenant, settings, audit) runs whole through the retrying strategy.
        var created = await client.PostAsJsonAsync("/api/v1/tenants", new { settings = new { name = "After the outage" } }, Cancel);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var check = _database.CreateOwnerContext();
        Assert.Equal(1, check.Tenants.Count(t => t.Name == "After the outage"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
