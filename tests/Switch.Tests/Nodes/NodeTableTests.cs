using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Hosting;
using HostedPbx.Switch.Nodes;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Nodes;

/// <summary>Switch nodes in the database as the switch's own role sees it: names, heartbeats, dead nodes' registrations.</summary>
public sealed class NodeTableTests
{
    private static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(30);
    private static readonly string Fingerprint = new('f', 64);
    private readonly FakeTimeProvider _time = new(TestClock.Now);

    [Fact]
    public async Task Heartbeat_OtherNodeSilentPastTheBound_ItsRegistrationsExpiredAndAudited()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_nodes_expiry");
        var contexts = SwitchContexts(database);
        var a = new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time);
        var b = new NodeTable(contexts, "node-b", "127.0.0.3:5061", Fingerprint, DeadAfter, _time);
        await a.JoinAsync(Cancel);
        await b.JoinAsync(Cancel);
        var onA = await AddRegistrationAsync(database, "node-a", "0015651a2b01");
        var onB = await AddRegistrationAsync(database, "node-b", "0015651a2b02");
        var heartbeatOfB = new NodeHeartbeat(b, TimeSpan.FromSeconds(5), _time, NullLogger.Instance);

        // Node A says nothing more; node B beats on. At 30 s A is still within the bound, a second later it is not.
        _time.Advance(DeadAfter);
        await heartbeatOfB.BeatAsync(Cancel);
        Assert.Equal(2, await CountRegistrationsAsync(database));
        _time.Advance(TimeSpan.FromSeconds(1));
        await heartbeatOfB.BeatAsync(Cancel);

        await using var db = database.CreateOwnerContext();
        Assert.Equal([onB], await db.Registrations.Select(r => r.Id).ToListAsync(Cancel));
        Assert.Equal(["node-b"], await db.SwitchNodes.Select(n => n.Name).ToListAsync(Cancel));
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == "switch.node.expire", Cancel);
        Assert.Equal(("node-a", AuditOutcome.Success, AuditActorKind.System), (audit.TargetId, audit.Outcome, audit.ActorKind));
        Assert.Contains("1 registrations expired", audit.Reason, StringComparison.Ordinal);
        Assert.Equal(new LiveNode("node-b", "127.0.0.3:5061", Fingerprint, false), Assert.Single(heartbeatOfB.Live).Value);
        Assert.NotEqual(onA, onB);
    }

    [Fact]
    public async Task Join_NameHeldByLiveNodeElsewhere_RefusedSayingWhatToDoAndAudited()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_nodes_join");
        var contexts = SwitchContexts(database);
        await new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time).JoinAsync(Cancel);
        var registration = await AddRegistrationAsync(database, "node-a", "0015651a2b03");
        _time.Advance(TimeSpan.FromSeconds(10));

        var refused = await Assert.ThrowsAsync<StartupCheckException>(
            () => new NodeTable(contexts, "node-a", "127.0.0.3:5061", Fingerprint, DeadAfter, _time).JoinAsync(Cancel));

        Assert.Contains("Switch:NodeName 'node-a' is in use by the live switch node at 127.0.0.2:5061", refused.Message, StringComparison.Ordinal);
        Assert.Contains("another name", refused.Message, StringComparison.Ordinal);
        await using var db = database.CreateOwnerContext();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == "switch.node.join", Cancel);
        Assert.Equal(("node-a", AuditOutcome.Denied), (audit.TargetId, audit.Outcome));
        Assert.Contains("held by the live node at 127.0.0.2:5061", audit.Reason, StringComparison.Ordinal);
        Assert.Equal("127.0.0.2:5061", (await db.SwitchNodes.SingleAsync(Cancel)).SipAddress);
        Assert.True(await db.Registrations.AnyAsync(r => r.Id == registration, Cancel));
    }

    [Fact]
    public async Task Join_SameAddressAfterCrash_OrNameFreedByDeath_Accepted()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_nodes_rejoin");
        var contexts = SwitchContexts(database);
        await new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time).JoinAsync(Cancel);

        // The same node again at once (killed and restarted: a live one would still hold the port).
        _time.Advance(TimeSpan.FromSeconds(2));
        await new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time).JoinAsync(Cancel);
        // Elsewhere, once the old one has been silent past the bound.
        _time.Advance(DeadAfter + TimeSpan.FromSeconds(1));
        await new NodeTable(contexts, "node-a", "127.0.0.3:5061", Fingerprint, DeadAfter, _time).JoinAsync(Cancel);

        await using var db = database.CreateOwnerContext();
        var node = await db.SwitchNodes.SingleAsync(Cancel);
        Assert.Equal(("127.0.0.3:5061", _time.GetUtcNow(), false), (node.SipAddress, node.LastHeartbeatAt, node.Draining));
    }

    [Fact]
    public async Task Heartbeat_OwnRowExpiredWhileStalled_JoinsAgainAndSaysSo()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_nodes_stall");
        var contexts = SwitchContexts(database);
        var a = new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time);
        var b = new NodeTable(contexts, "node-b", "127.0.0.3:5061", Fingerprint, DeadAfter, _time);
        await a.JoinAsync(Cancel);
        await b.JoinAsync(Cancel);
        _time.Advance(DeadAfter + TimeSpan.FromSeconds(1));
        await new NodeHeartbeat(b, TimeSpan.FromSeconds(5), _time, NullLogger.Instance).BeatAsync(Cancel);
        var rejoined = 0;

        await new NodeHeartbeat(a, TimeSpan.FromSeconds(5), _time, NullLogger.Instance) { Rejoined = () => rejoined++ }.BeatAsync(Cancel);

        Assert.Equal(1, rejoined);
        await using var db = database.CreateOwnerContext();
        Assert.Equal(["node-a", "node-b"], await db.SwitchNodes.OrderBy(n => n.Name).Select(n => n.Name).ToListAsync(Cancel));
    }

    [Fact]
    public async Task FindHolder_CalleeOnLiveDrainingOrDeadNode_OnlyTheLiveOneAnswers()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_nodes_holder");
        var contexts = SwitchContexts(database);
        var a = new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time);
        var b = new NodeTable(contexts, "node-b", "127.0.0.3:5061", Fingerprint, DeadAfter, _time);
        await a.JoinAsync(Cancel);
        await b.JoinAsync(Cancel);
        await AddRegistrationAsync(database, "node-b", "0015651a2b04");
        var (tenantId, extensionId) = await OnlyExtensionAsync(database);

        var live = await a.FindHolderAsync(tenantId, extensionId, Cancel);
        await b.MarkDrainingAsync(Cancel);
        var draining = await a.FindHolderAsync(tenantId, extensionId, Cancel);
        var fromItself = await b.FindHolderAsync(tenantId, extensionId, Cancel);

        Assert.Equal(("node-b", "127.0.0.3:5061"), (live?.Name, live?.SipAddress));
        Assert.Null(draining);
        Assert.Null(fromItself);
    }

    [Fact]
    public async Task RemoteHolders_RegistrationsHereOnAnotherLiveNodeAndOnADrainingOne_OnlyTheOtherLiveNodesExtensionIsRouted()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_nodes_routes");
        var contexts = SwitchContexts(database);
        var a = new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time);
        var b = new NodeTable(contexts, "node-b", "127.0.0.3:5061", Fingerprint, DeadAfter, _time);
        var c = new NodeTable(contexts, "node-c", "127.0.0.4:5061", Fingerprint, DeadAfter, _time);
        await a.JoinAsync(Cancel);
        await b.JoinAsync(Cancel);
        await c.JoinAsync(Cancel);
        var onB = await AddRegistrationAsync(database, "node-b", "0015651a2b05");
        await AddRegistrationAsync(database, "node-a", "0015651a2b06");
        await AddRegistrationAsync(database, "node-c", "0015651a2b07");
        await c.MarkDrainingAsync(Cancel);

        var routes = await a.RemoteHoldersAsync(Cancel);

        await using var db = database.CreateOwnerContext();
        var expected = await db.Registrations.Where(r => r.Id == onB)
            .Join(db.Extensions, r => r.ExtensionId, e => e.Id, (r, e) => new { r.TenantId, e.Number }).SingleAsync(Cancel);
        var route = Assert.Single(routes);
        Assert.Equal(((expected.TenantId, expected.Number), "node-b"), (route.Key, route.Value));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static PooledDbContextFactory<PbxDbContext> SwitchContexts(PostgresFixture database) =>
        new(database.SwitchOptions);

    private async Task<Guid> AddRegistrationAsync(PostgresFixture database, string node, string mac)
    {
        await using var owner = database.CreateOwnerContext();
        var arranged = await TestTenants.AddAsync(owner, $"Nodes {Guid.NewGuid():N}", mac);
        var registration = new Registration
        {
            TenantId = arranged.Tenant.Id, ExtensionId = arranged.Extension.Id, DeviceId = arranged.Device.Id,
            ContactUri = $"sip:{arranged.Extension.Number}@127.0.0.1:5060;transport=tls", SourceAddress = "127.0.0.1:40000",
            SwitchNode = node, RegisteredAt = _time.GetUtcNow(), ExpiresAt = _time.GetUtcNow().AddHours(1),
        };
        owner.Registrations.Add(registration);
        await owner.SaveChangesAsync(Cancel);
        return registration.Id;
    }

    private static async Task<(Guid TenantId, Guid ExtensionId)> OnlyExtensionAsync(PostgresFixture database)
    {
        await using var db = database.CreateOwnerContext();
        var registration = await db.Registrations.SingleAsync(Cancel);
        return (registration.TenantId, registration.ExtensionId);
    }

    private static async Task<int> CountRegistrationsAsync(PostgresFixture database)
    {
        await using var db = database.CreateOwnerContext();
        return await db.Registrations.CountAsync(Cancel);
    }
}
