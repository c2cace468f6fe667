using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Nodes;
using HostedPbx.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostedPbx.Switch.Tests.Nodes;

/// <summary>
/// Each node's running outbound calls to the telephone network, published with its heartbeat in the database (as the
/// switch's own role sees it) so that the toll-fraud limits count every live node's calls (issue 11).
/// </summary>
public sealed class NodeCallsTests
{
    private static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly string Fingerprint = new('f', 64);
    private readonly FakeTimeProvider _time = new(TestClock.Now);

    [Fact]
    public async Task Heartbeat_NodeAPublishesItsCalls_NodeBCountsThemForTheirTenantOnly_AndANextBeatReplacesThem()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_node_calls_publish");
        var (t, u) = await TwoTenantsAsync(database);
        var contexts = SwitchContexts(database);
        var a = new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time);
        var b = new NodeTable(contexts, "node-b", "127.0.0.3:5061", Fingerprint, DeadAfter, _time);
        await a.JoinAsync(Cancel);
        await b.JoinAsync(Cancel);
        IReadOnlyList<ExternalCall> onA =
        [
            new(Guid.CreateVersion7(), t, _time.GetUtcNow().AddMinutes(-10)),
            new(Guid.CreateVersion7(), t, null),
            new(Guid.CreateVersion7(), u, null),
        ];
        var heartbeatOfA = new NodeHeartbeat(a, Interval, _time, NullLogger.Instance) { ExternalCalls = () => onA };
        var heartbeatOfB = new NodeHeartbeat(b, Interval, _time, NullLogger.Instance);

        await heartbeatOfA.BeatAsync(Cancel);
        await heartbeatOfB.BeatAsync(Cancel);
        var readByB = heartbeatOfB.OtherNodesCalls;
        // Node B's gate: each tenant may hold 2 external calls; T holds 2 on node A, U one.
        var audit = new SwitchAudit(_time);
        var gate = new PstnGate(() => Directory(t, u), new PstnSuspensionStore(null, NullLogger.Instance), audit, _time, NullLogger.Instance)
        {
            OtherNodes = () => heartbeatOfB.OtherNodesCalls,
        };
        var ofT = gate.Admit(t, "030123456", "201", null);
        var ofU = gate.Admit(u, "030123456", "201", null);
        // Node A's next beat: one of T's calls ended, a new one of U rings.
        var first = onA;
        onA = [onA[0], new(Guid.CreateVersion7(), u, null)];
        _time.Advance(Interval);
        await heartbeatOfA.BeatAsync(Cancel);
        await heartbeatOfB.BeatAsync(Cancel);

        Assert.Equal(Sorted(first), Sorted(readByB));
        Assert.Empty(heartbeatOfA.OtherNodesCalls);
        Assert.Equal((PstnAdmissionKind.Refused, 503, "Too many external calls"), (ofT.Kind, ofT.Status, ofT.Reason));
        Assert.Equal(PstnAdmissionKind.Routed, ofU.Kind);
        Assert.Equal(Sorted(onA), Sorted(heartbeatOfB.OtherNodesCalls));
        await using var db = database.CreateOwnerContext();
        Assert.Equal(2, await db.SwitchNodeCalls.CountAsync(c => c.NodeName == "node-a", Cancel));
    }

    [Fact]
    public async Task Heartbeat_NodeSilentPastTheBoundThenExpired_OrLeft_ItsCallsCountForNothing()
    {
        await using var database = await PostgresFixture.OwnAsync("switch_node_calls_gone");
        var (t, _) = await TwoTenantsAsync(database);
        var contexts = SwitchContexts(database);
        var a = new NodeTable(contexts, "node-a", "127.0.0.2:5061", Fingerprint, DeadAfter, _time);
        var b = new NodeTable(contexts, "node-b", "127.0.0.3:5061", Fingerprint, DeadAfter, _time);
        var c = new NodeTable(contexts, "node-c", "127.0.0.4:5061", Fingerprint, DeadAfter, _time);
        await a.JoinAsync(Cancel);
        await b.JoinAsync(Cancel);
        await c.JoinAsync(Cancel);
        IReadOnlyList<ExternalCall> twoOfT = [new(Guid.CreateVersion7(), t, _time.GetUtcNow().AddMinutes(-10)), new(Guid.CreateVersion7(), t, null)];
        await a.PublishCallsAsync(twoOfT, Cancel);
        var heartbeatOfB = new NodeHeartbeat(b, Interval, _time, NullLogger.Instance);
        var heartbeatOfC = new NodeHeartbeat(c, Interval, _time, NullLogger.Instance) { ExternalCalls = () => twoOfT };
        await heartbeatOfC.BeatAsync(Cancel);
        await heartbeatOfB.BeatAsync(Cancel);
        var whileBothLive = heartbeatOfB.OtherNodesCalls.Count;

        // Node C leaves (its calls go with its row); node A says nothing more. At the bound A still counts, a second later not.
        await c.LeaveAsync(Cancel);
        _time.Advance(DeadAfter);
        var atTheBound = await b.OtherNodesCallsAsync(Cancel);
        _time.Advance(TimeSpan.FromSeconds(1));
        var pastTheBound = await b.OtherNodesCallsAsync(Cancel);
        await heartbeatOfB.BeatAsync(Cancel);

        Assert.Equal(4, whileBothLive);
        Assert.Equal(Sorted(twoOfT), Sorted(atTheBound));
        Assert.Empty(pastTheBound);
        Assert.Empty(heartbeatOfB.OtherNodesCalls);
        await using var db = database.CreateOwnerContext();
        Assert.Equal(0, await db.SwitchNodeCalls.CountAsync(Cancel));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static List<ExternalCall> Sorted(IEnumerable<ExternalCall> calls) => [.. calls.OrderBy(c => c.CallId)];

    private static PooledDbContextFactory<PbxDbContext> SwitchContexts(PostgresFixture database) =>
        new(database.SwitchOptions);

    private static async Task<(Guid T, Guid U)> TwoTenantsAsync(PostgresFixture database)
    {
        await using var owner = database.CreateOwnerContext();
        var t = await TestTenants.AddAsync(owner, $"Calls T {Guid.NewGuid():N}", "0015651a2c01");
        var u = await TestTenants.AddAsync(owner, $"Calls U {Guid.NewGuid():N}", "0015651a2c02");
        return (t.Tenant.Id, u.Tenant.Id);
    }

    private static PstnDirectory Directory(params Guid[] tenants) => new(
        [.. tenants.Select(id => new PstnSettings { TenantId = id, Country = "DE", MaxConcurrentExternalCalls = 2 })],
        [.. tenants.Select(id => new OutboundRoute { TenantId = id, Name = "Germany", Pattern = "+49*", Priority = 1, TrunkIds = [Guid.CreateVersion7()] })]);
}
