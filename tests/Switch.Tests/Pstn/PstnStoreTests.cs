using HostedPbx.Data;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Testing;
using HostedPbx.Testing.Pstn;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>The switch's own database role reads every tenant's routes and guards, and writes a burst's suspension.</summary>
public sealed class PstnStoreTests
{
    [Fact]
    public async Task LoadThenSuspend_AsTheSwitchRole_RoutesReadAndTheSuspensionStoredForTheApiToShow()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_pstn_store");
        Guid tenantId;
        TestPstn.Arranged pstn;
        await using (var owner = database.CreateOwnerContext())
        {
            var arranged = await TestTenants.AddAsync(owner, $"Pstn {Guid.NewGuid():N}", $"0015651{Random.Shared.Next(0, 0xFFFFF):x5}");
            tenantId = arranged.Tenant.Id;
            pstn = await TestPstn.AddAsync(owner, tenantId, arranged.Extension.Id, $"+4930{Random.Shared.Next(1000000, 9999999)}");
        }

        var contexts = new PooledDbContextFactory<PbxDbContext>(
            database.SwitchOptions);
        var directory = await new PstnDirectoryLoader(contexts).LoadAsync(TestContext.Current.CancellationToken);
        await new PstnSuspensionStore(contexts, NullLogger.Instance)
            .SuspendAsync(tenantId, TestClock.Now, "11 international attempts within 5 minutes", TestContext.Current.CancellationToken);

        Assert.True(directory.TryGet(tenantId, out var tenant));
        Assert.Equal(("DE", "+*"), (tenant.Plan.Iso, Assert.Single(tenant.Routes).Pattern));
        // The operator's carrier is a known peer by its host name (no certificate name set), shared by tenants.
        var carrier = directory.Peers.Find(PeerKind.Trunk, pstn.Carrier.Id);
        Assert.Equal(("sip.carrier.example", null), (carrier?.CertificateName, carrier?.TenantId));
        await using var check = database.CreateOwnerContext();
        var stored = await check.PstnSettings.SingleAsync(s => s.TenantId == tenantId, TestContext.Current.CancellationToken);
        Assert.Equal((TestClock.Now, "11 international attempts within 5 minutes"), (stored.OutboundSuspendedAt, stored.SuspensionReason));
    }
}
