using System.Collections.Concurrent;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Trunks.Keepalive;

/// <summary>
/// The node's OPTIONS keep-alive to every carrier its trunks reach (RFC 3261 §11; issue 11), over TLS or a plain trunk's
/// UDP flow or TCP connection: every <paramref name="interval"/> one probe per carrier (trunks of one operator carrier share its connection,
/// so its state), never two at once to the same one. A carrier is down after <paramref name="missesToDown"/> misses in a
/// row (no answer, no connection, 503) and up again on the first answer. A change is logged and stored; route order puts
/// trunks that are down last, so a call tries them only when every other trunk of the route has failed.
/// </summary>
internal sealed class TrunkKeepalive(
    Func<PstnDirectory> directory,
    Func<PeerConnector> connector,
    KeepaliveSignalling sip,
    TimeSpan interval,
    int missesToDown,
    Func<TrunkStateChange, CancellationToken, Task> store,
    TimeProvider time,
    ILogger logger,
    Func<PstnTrunk, CancellationToken, Task<PeerConnectOutcome>>? plainFlow = null)
{
    private readonly ConcurrentDictionary<Guid, TrunkHealth> _health = new();
    private readonly ConcurrentDictionary<Guid, bool> _probing = new();
    private readonly ConcurrentDictionary<Guid, long> _skipped = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // The next round is due an interval after this one began, however long its probes take.
            var next = Task.Delay(interval, time, cancellationToken);
            await RoundAsync(cancellationToken);
            await next;
        }
    }

    /// <summary>
    /// One probe to each carrier of the directory's trunks; done when all are. TLS trunks over the connector; plain ones
    /// (issue 11) over their UDP flow or TCP connection when this keep-alive was given the way to it (<c>plainFlow</c>), where a
    /// trunk the operator did not allow plain is a miss with the reason.
    /// </summary>
    public Task RoundAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(directory().AllTrunks
            .Where(t => !t.IsPlain || plainFlow is not null)
            .GroupBy(t => t.Target.PeerId)
            .Where(g => _probing.TryAdd(g.Key, true))
            .Select(g => ProbeAsync([.. g], cancellationToken)));

    /// <summary>This node's view of <paramref name="trunk"/>: null until its carrier was first probed.</summary>
    public TrunkHealth? HealthOf(PstnTrunk trunk) => _health.GetValueOrDefault(trunk.Target.PeerId);

    /// <summary>
    /// The route's trunks with those that are down moved behind the rest (each time one is moved past, it is counted);
    /// trunks down keep their order among themselves, and are still tried when nothing else is left.
    /// </summary>
    public IReadOnlyList<PstnTrunk> Order(IReadOnlyList<PstnTrunk> trunks)
    {
        ArgumentNullException.ThrowIfNull(trunks);
        var down = trunks.Where(t => HealthOf(t)?.State == TrunkReachability.Down).ToList();
        if (down.Count == 0 || down.Count == trunks.Count)
        {
            return trunks;
        }

        foreach (var trunk in down)
        {
            _skipped.AddOrUpdate(trunk.Id, 1, (_, n) => n + 1);
        }

        return [.. trunks.Except(down), .. down];
    }

    /// <summary>For the metrics: each known trunk's state (1 up, 0 down), by trunk id; and how often each was skipped.</summary>
    public IEnumerable<(Guid TrunkId, bool Up)> States() =>
        directory().AllTrunks.Select(t => (t.Id, HealthOf(t)?.State)).Where(s => s.State is not null).Select(s => (s.Id, s.State == TrunkReachability.Up));

    public IEnumerable<(Guid TrunkId, long Skipped)> Skipped() => _skipped.Select(s => (s.Key, s.Value));

    private async Task ProbeAsync(IReadOnlyList<PstnTrunk> trunks, CancellationToken cancellationToken)
    {
        var target = trunks[0].Target;
        try
        {
            ProbeOutcome outcome;
            try
            {
                var connected = trunks[0].IsPlain ? await plainFlow!(trunks[0], cancellationToken) : await connector().GetOrConnectAsync(target, cancellationToken);
                // The answer must come before the next round is due (and within RFC 3261's 64*T1).
                var timeout = interval < sip.Timers.TransactionTimeout ? interval : sip.Timers.TransactionTimeout;
                outcome = connected.Succeeded
                    ? await OptionsProbe.SendAsync(connected.Connection, target, sip, timeout, time, cancellationToken)
                    : new ProbeOutcome(false, connected.Failure);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                // A connection that closed under the probe is a miss, not the end of the keep-alive.
                outcome = new ProbeOutcome(false, $"the connection failed: {ex.Message}");
            }

            var health = _health.GetOrAdd(target.PeerId, _ => new TrunkHealth(missesToDown));
            TrunkStateChange[] changes;
            lock (health)
            {
                changes = health.OnProbed(outcome, time.GetUtcNow())
                    ? [.. trunks.Select(t => new TrunkStateChange(t.Id, t.TenantId, health.State!.Value, health.Since, health.Reason!))]
                    : [];
            }

            foreach (var change in changes)
            {
                SwitchLog.TrunkStateChanged(logger, change.TrunkId, change.State, change.Reason);
                await store(change, cancellationToken);
            }
        }
        finally
        {
            _probing.TryRemove(target.PeerId, out _);
        }
    }
}
