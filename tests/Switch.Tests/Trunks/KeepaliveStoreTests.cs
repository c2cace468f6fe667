using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Tenancy;
using HostedPbx.Switch.Calls.Trunks.Keepalive;
using HostedPbx.Testing;
using HostedPbx.Testing.Pstn;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Trunks;

/// <summary>
/// Trunk states as the switch's role stores them and the API's role reads them: one row per trunk and node, updated on
/// each change; down when any live node says so; a node no longer in <c>switch_nodes</c> no longer counts; another
/// tenant reads none of them.
/// </summary>
public sealed class KeepaliveStoreTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveThenLoad_TwoNodes_DownWhenEitherIsAndOnlyLiveNodesCount()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_trunk_states");
        TestTenants.Arranged mine, other;
        TestPstn.Arranged pstn;
        await using (var owner = database.CreateOwnerContext())
        {
            mine = await TestTenants.AddAsync(owner, $"States {Guid.NewGuid():N}", $"0015651{Random.Shared.Next(0, 0xFFFFF):x5}");
            other = await TestTenants.AddAsync(owner, $"Other {Guid.NewGuid():N}", $"0015651{Random.Shared.Next(0, 0xFFFFF):x5}");
            pstn = await TestPstn.AddAsync(owner, mine.Tenant.Id, mine.Extension.Id, $"+4930{Random.Shared.Next(1000000, 9999999)}");
            owner.SwitchNodes.AddRange(
                new SwitchNode { Name = "node-a", SipAddress = "127.0.0.1:5061", CertificateFingerprint = "aa", StartedAt = TestClock.Now, LastHeartbeatAt = TestClock.Now },
                new SwitchNode { Name = "node-b", SipAddress = "127.0.0.2:5061", CertificateFingerprint = "bb", StartedAt = TestClock.Now, LastHeartbeatAt = TestClock.Now });
            await owner.SaveChangesAsync(_ct);
        }

        var contexts = new PooledDbContextFactory<PbxDbContext>(
            database.SwitchOptions);
        var a = new TrunkStateStore(contexts, "node-a", NullLogger.Instance);
        var b = new TrunkStateStore(contexts, "node-b", NullLogger.Instance);
        var trunk = pstn.Trunk;
        await a.SaveAsync(new TrunkStateChange(trunk.Id, trunk.TenantId, TrunkReachability.Up, TestClock.Now, "answered OPTIONS 200 OK"), _ct);
        await b.SaveAsync(new TrunkStateChange(trunk.Id, trunk.TenantId, TrunkReachability.Up, TestClock.Now.AddSeconds(5), "answered OPTIONS 200 OK"), _ct);
        Assert.Equal(new TrunkStateSummary(TrunkReachability.Up, TestClock.Now.AddSeconds(5), "answered OPTIONS 200 OK"), await LoadAsync(database, mine.Tenant.Id, trunk.Id));

        // Node b loses the carrier: the trunk is down, since b found it so, with b's reason; a's row is updated, not added.
        await b.SaveAsync(new TrunkStateChange(trunk.Id, trunk.TenantId, TrunkReachability.Down, TestClock.Now.AddMinutes(2), "no answer to OPTIONS within 30 s"), _ct);
        Assert.Equal(new TrunkStateSummary(TrunkReachability.Down, TestClock.Now.AddMinutes(2), "no answer to OPTIONS within 30 s"), await LoadAsync(database, mine.Tenant.Id, trunk.Id));
        await using (var owner = database.CreateOwnerContext())
        {
            Assert.Equal(2, await owner.TrunkStates.CountAsync(s => s.TrunkId == trunk.Id, _ct));
            // Node b leaves the cluster: its view no longer counts.
            await owner.SwitchNodes.Where(n => n.Name == "node-b").ExecuteDeleteAsync(_ct);
        }

        Assert.Equal(TrunkReachability.Up, (await LoadAsync(database, mine.Tenant.Id, trunk.Id)).State);
        // Row-level security: another tenant's scope sees nothing of this trunk's state.
        Assert.Equal(TrunkStateSummary.Unknown, await LoadAsync(database, other.Tenant.Id, trunk.Id));
    }

    private async Task<TrunkStateSummary> LoadAsync(PostgresFixture database, Guid scopeTenant, Guid trunkId)
    {
        await using var db = database.CreateAppContext(DbScope.ForTenant(scopeTenant));
        return (await TrunkStateSummary.LoadAsync(db, [trunkId], _ct))[trunkId];
    }
}
