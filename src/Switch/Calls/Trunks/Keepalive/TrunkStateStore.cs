using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls.Trunks.Keepalive;

/// <summary>
/// Writes this node's view of a trunk to <c>trunk_states</c>, one row per trunk and node, on each change only. The
/// database away: the change is logged and the next change writes again (the node's own routing never waits on it).
/// </summary>
internal sealed class TrunkStateStore(IDbContextFactory<PbxDbContext> contexts, string nodeName, ILogger logger)
{
    public async Task SaveAsync(TrunkStateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var updated = await db.TrunkStates.Where(s => s.TrunkId == change.TrunkId && s.NodeName == nodeName)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, change.State).SetProperty(x => x.Since, change.Since).SetProperty(x => x.Reason, change.Reason),
                    cancellationToken);
            if (updated == 0)
            {
                db.TrunkStates.Add(new TrunkState
                {
                    TrunkId = change.TrunkId, TenantId = change.TenantId, NodeName = nodeName, State = change.State, Since = change.Since, Reason = change.Reason,
                });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            // A trunk deleted meanwhile (its row's foreign key), or the database away.
            SwitchLog.TrunkStateNotStored(logger, change.TrunkId, ex);
        }
    }
}
