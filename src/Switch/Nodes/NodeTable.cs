using System.Globalization;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Hosting;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Nodes;

/// <summary>
/// This node's row in switch_nodes and what it does to the others' (DESIGN "Growing past one machine"): it joins under
/// its name, says it is alive on each heartbeat, marks itself draining, leaves; and it expires the registrations of a
/// node whose heartbeat stopped for longer than <paramref name="deadAfter"/>, so calls stop going to connections that no
/// longer exist.
/// </summary>
internal sealed class NodeTable(
    IDbContextFactory<PbxDbContext> contexts, string name, string sipAddress, string certificateFingerprint, TimeSpan deadAfter, TimeProvider time)
{
    public string Name => name;

    public string SipAddress => sipAddress;

    /// <summary>
    /// Takes the name, unless a live node at another address holds it: then the start is refused with a sentence that
    /// says what to do, and audited. The same name at the same address is this node again after a crash (a live one
    /// would hold the port). One statement, so two nodes starting at once cannot both take the name.
    /// </summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - deadAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var taken = await db.Database.SqlQuery<string>($"""
            INSERT INTO switch_nodes (name, sip_address, certificate_fingerprint, started_at, last_heartbeat_at, draining)
            VALUES ({name}, {sipAddress}, {certificateFingerprint}, {now}, {now}, false)
            ON CONFLICT (name) DO UPDATE SET sip_address = EXCLUDED.sip_address, certificate_fingerprint = EXCLUDED.certificate_fingerprint,
                started_at = EXCLUDED.started_at, last_heartbeat_at = EXCLUDED.last_heartbeat_at, draining = false
            WHERE switch_nodes.last_heartbeat_at < {cutoff} OR switch_nodes.sip_address = EXCLUDED.sip_address
            RETURNING name AS "Value"
            """).ToListAsync(cancellationToken);
        if (taken.Count == 1)
        {
            return;
        }

        var holder = await db.SwitchNodes.AsNoTracking().FirstOrDefaultAsync(n => n.Name == name, cancellationToken);
        var address = holder?.SipAddress ?? "another address";
        var seconds = holder is null ? 0 : (int)Math.Max(0, (now - holder.LastHeartbeatAt).TotalSeconds);
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = now, ActorKind = AuditActorKind.System, ActorId = sipAddress, ActorName = $"switch node at {sipAddress}",
            Action = "switch.node.join", TargetKind = "switch_node", TargetId = name, Outcome = AuditOutcome.Denied,
            Reason = string.Create(CultureInfo.InvariantCulture, $"name '{name}' is held by the live node at {address} (heartbeat {seconds} s ago)"),
        });
        await db.SaveChangesAsync(cancellationToken);
        throw new StartupCheckException(string.Create(CultureInfo.InvariantCulture,
            $"Switch:NodeName '{name}' is in use by the live switch node at {address} (its last heartbeat was {seconds} s ago). Give this node another name, or start it once that node has stopped (a node that died frees its name after {(int)deadAfter.TotalSeconds} s)."));
    }

    /// <summary>Says this node is alive; false when its row is gone (the others took it for dead while it stalled).</summary>
    public async Task<bool> BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SwitchNodes.Where(n => n.Name == name)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LastHeartbeatAt, now), cancellationToken) == 1;
    }

    /// <summary>
    /// Deletes the row and the registrations of every other node silent for longer than the bound, one audit event per
    /// node, in one transaction; a node expired by another at the same moment is skipped (row locks), never counted twice.
    /// </summary>
    public async Task<IReadOnlyList<ExpiredNode>> ExpireDeadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - deadAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var dead = await db.SwitchNodes
                .FromSql($"SELECT * FROM switch_nodes WHERE last_heartbeat_at < {cutoff} AND name <> {name} FOR UPDATE SKIP LOCKED")
                .ToListAsync(ct);
            var expired = new List<ExpiredNode>();
            foreach (var node in dead)
            {
                var count = await db.Registrations.Where(r => r.SwitchNode == node.Name).ExecuteDeleteAsync(ct);
                db.SwitchNodes.Remove(node);
                db.AuditEvents.Add(new AuditEvent
                {
                    OccurredAt = now, ActorKind = AuditActorKind.System, ActorId = name, ActorName = $"switch node {name}",
                    Action = "switch.node.expire", TargetKind = "switch_node", TargetId = node.Name, Outcome = AuditOutcome.Success,
                    Reason = string.Create(CultureInfo.InvariantCulture,
                        $"no heartbeat from {node.Name} at {node.SipAddress} since {node.LastHeartbeatAt:O} (bound {(int)deadAfter.TotalSeconds} s); {count} registrations expired"),
                });
                expired.Add(new ExpiredNode(node.Name, node.SipAddress, count));
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (IReadOnlyList<ExpiredNode>)expired;
        }, cancellationToken);
    }

    /// <summary>The nodes whose heartbeat is within the bound, this one included, by name.</summary>
    public async Task<IReadOnlyDictionary<string, LiveNode>> LiveAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - deadAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SwitchNodes.AsNoTracking().Where(n => n.LastHeartbeatAt >= cutoff)
            .ToDictionaryAsync(n => n.Name, n => new LiveNode(n.Name, n.SipAddress, n.CertificateFingerprint, n.Draining), StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>
    /// Replaces this node's published outbound calls with <paramref name="calls"/>, in one transaction: another node
    /// reads either the last beat's set or this one, never a mix or a sum of both.
    /// </summary>
    public async Task PublishCallsAsync(IReadOnlyList<ExternalCall> calls, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SwitchNodeCalls.Where(c => c.NodeName == name).ExecuteDeleteAsync(ct);
            db.SwitchNodeCalls.AddRange(calls.Select(c => new SwitchNodeCall { NodeName = name, CallId = c.CallId, TenantId = c.TenantId, AnsweredAt = c.AnsweredAt }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <summary>
    /// The outbound calls the other live nodes (heartbeat within the bound, draining or not) published with their last
    /// beat. A node silent past the bound counts for nothing, even before it is expired: its calls went with it.
    /// </summary>
    public async Task<IReadOnlyList<ExternalCall>> OtherNodesCallsAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - deadAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SwitchNodeCalls.AsNoTracking()
            .Where(c => c.NodeName != name)
            .Join(db.SwitchNodes.Where(n => n.LastHeartbeatAt >= cutoff), c => c.NodeName, n => n.Name, (c, n) => new ExternalCall(c.CallId, c.TenantId, c.AnsweredAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Marks this node draining: it takes no new calls, and no other node should send it any.</summary>
    public async Task MarkDrainingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.SwitchNodes.Where(n => n.Name == name).ExecuteUpdateAsync(s => s.SetProperty(n => n.Draining, true), cancellationToken);
    }

    /// <summary>A graceful end: this node's registrations and row go (its handsets are reconnecting elsewhere).</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Registrations.Where(r => r.SwitchNode == name).ExecuteDeleteAsync(cancellationToken);
        await db.SwitchNodes.Where(n => n.Name == name).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The live, not draining node other than this one that holds a binding of the extension, if any.</summary>
    public async Task<SwitchNode?> FindHolderAsync(Guid tenantId, Guid extensionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - deadAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Registrations
            .Where(r => r.TenantId == tenantId && r.ExtensionId == extensionId && r.ExpiresAt > now && r.SwitchNode != name)
            .Join(db.SwitchNodes, r => r.SwitchNode, n => n.Name, (r, n) => n)
            .Where(n => !n.Draining && n.LastHeartbeatAt >= cutoff)
            .OrderByDescending(n => n.LastHeartbeatAt)
            .AsNoTracking()
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Which other live, not draining node holds a live binding of each (tenant, extension number): the node legs' routes
    /// (issue 14). Where two nodes hold the same extension, the one heard from last.
    /// </summary>
    public async Task<IReadOnlyDictionary<(Guid TenantId, string Number), string>> RemoteHoldersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - deadAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Registrations
            .Where(r => r.ExpiresAt > now && r.SwitchNode != name)
            .Join(db.SwitchNodes, r => r.SwitchNode, n => n.Name, (r, n) => new { r.TenantId, r.ExtensionId, Node = n })
            .Where(x => !x.Node.Draining && x.Node.LastHeartbeatAt >= cutoff)
            .Join(db.Extensions, x => x.ExtensionId, e => e.Id, (x, e) => new { x.TenantId, e.Number, x.Node.Name, x.Node.LastHeartbeatAt })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => (r.TenantId, r.Number))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.LastHeartbeatAt).First().Name);
    }
}
