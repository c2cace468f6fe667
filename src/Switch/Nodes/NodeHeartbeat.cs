using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Nodes;

/// <summary>
/// The node's heartbeat: every <paramref name="interval"/> of the injected clock it says it is alive and expires the
/// nodes that stopped saying so. A failed beat (the database away) is logged and the next one tries again.
/// </summary>
internal sealed class NodeHeartbeat(NodeTable table, TimeSpan interval, TimeProvider time, ILogger logger)
{
    private IReadOnlyDictionary<string, LiveNode> _live = new Dictionary<string, LiveNode>();

    /// <summary>The live nodes as of the last beat (the TLS handshake reads it, so it never waits on the database).</summary>
    public IReadOnlyDictionary<string, LiveNode> Live => Volatile.Read(ref _live);

    /// <summary>Called when the node found its row gone and joined again (its registrations were expired meanwhile).</summary>
    public Action? Rejoined { get; init; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, cancellationToken);
            await BeatAsync(cancellationToken);
        }
    }

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await table.BeatAsync(cancellationToken))
            {
                // This node stalled past the bound and another expired it: it takes its name back and re-announces
                // the bindings it still holds.
                SwitchLog.NodeRejoined(logger, table.Name);
                await table.JoinAsync(cancellationToken);
                Rejoined?.Invoke();
            }

            foreach (var dead in await table.ExpireDeadAsync(cancellationToken))
            {
                SwitchLog.NodeExpired(logger, dead.Name, dead.SipAddress, dead.Registrations);
            }

            Volatile.Write(ref _live, await table.LiveAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SwitchLog.NodeHeartbeatFailed(logger, table.Name, ex);
        }
    }
}
