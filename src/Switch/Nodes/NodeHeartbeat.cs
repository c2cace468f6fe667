using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Nodes;

/// <summary>
/// The node's heartbeat: every <paramref name="interval"/> of the injected clock it says it is alive and expires the
/// nodes that stopped saying so; it also publishes this node's outbound calls to the telephone network and learns the
/// other live nodes' (the toll-fraud limits count every node's calls). A failed beat (the database away) is logged and
/// the next one tries again.
/// </summary>
internal sealed class NodeHeartbeat(NodeTable table, TimeSpan interval, TimeProvider time, ILogger logger)
{
    private IReadOnlyDictionary<string, LiveNode> _live = new Dictionary<string, LiveNode>();
    private IReadOnlyList<ExternalCall> _otherNodesCalls = [];

    /// <summary>The live nodes as of the last beat (the TLS handshake reads it, so it never waits on the database).</summary>
    public IReadOnlyDictionary<string, LiveNode> Live => Volatile.Read(ref _live);

    /// <summary>
    /// The outbound calls to the telephone network that the other live nodes published, as of the last beat (the
    /// toll-fraud limits read it on the INVITE path, so it never waits on the database).
    /// </summary>
    public IReadOnlyList<ExternalCall> OtherNodesCalls => Volatile.Read(ref _otherNodesCalls);

    /// <summary>
    /// This node's running outbound calls, published each beat (set by the switch once its PSTN gate exists; until then,
    /// and on a node without one, the beat publishes none, which also clears what a crashed run of this node left).
    /// </summary>
    public Func<IReadOnlyList<ExternalCall>>? ExternalCalls { get; set; }

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
            Volatile.Write(ref _otherNodesCalls, await table.OtherNodesCallsAsync(cancellationToken));

            // Last, once this node's row surely exists (joined again above if it had been expired): its calls refer to it.
            await table.PublishCallsAsync(ExternalCalls?.Invoke() ?? [], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SwitchLog.NodeHeartbeatFailed(logger, table.Name, ex);
        }
    }
}
