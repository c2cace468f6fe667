using System.Collections.Concurrent;
using System.Net;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Nodes;
using HostedPbx.Switch.Sip.Transport;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Nodes;

/// <summary>
/// Where a callee registered on another switch node is (issue 14; DESIGN "Growing past one machine"): a snapshot of the
/// registrations the other live, not draining nodes hold, and a mutual-TLS connection to each of those nodes, both
/// refreshed every <paramref name="interval"/>, so routing a call never waits on the database or a handshake. A callee
/// with no binding here but one in the snapshot gets a node leg: an INVITE to that node over its connection.
/// </summary>
/// <param name="self">This node's name (its own registrations are the local bindings).</param>
/// <param name="holders">Reads which node holds each (tenant, extension number); the node table's query.</param>
/// <param name="live">The live nodes as of the last heartbeat.</param>
/// <param name="connect">Opens (or reuses) the connection to a node, presenting this node's certificate.</param>
/// <param name="interval">How often the snapshot and the connections are refreshed (the heartbeat's interval).</param>
/// <param name="time">The clock the refresh is paced by.</param>
/// <param name="logger">Where unreachable nodes and failed refreshes are told.</param>
internal sealed class NodeRoutes(
    string self,
    Func<CancellationToken, Task<IReadOnlyDictionary<(Guid TenantId, string Number), string>>> holders,
    Func<IReadOnlyDictionary<string, LiveNode>> live,
    Func<PeerTarget, CancellationToken, Task<PeerConnectOutcome>> connect,
    TimeSpan interval,
    TimeProvider time,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, (SipConnection Connection, string SipAddress)> _open = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<(Guid TenantId, string Number), string> _holders = new Dictionary<(Guid, string), string>();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await RefreshAsync(cancellationToken);
            await Task.Delay(interval, time, cancellationToken);
        }
    }

    /// <summary>Reads the other nodes' registrations and connects to every live node that is not draining.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var held = await holders(cancellationToken);
            foreach (var node in live().Values.Where(n => n.Name != self && !n.Draining))
            {
                await ConnectAsync(node, cancellationToken);
            }

            if (held.Count != Volatile.Read(ref _holders).Count)
            {
                SwitchLog.NodeRoutesChanged(logger, self, held.Count);
            }

            Volatile.Write(ref _holders, held);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SwitchLog.NodeRoutesFailed(logger, ex);
        }
    }

    /// <summary>The connection to <paramref name="node"/>, opened when there is none.</summary>
    public async Task<bool> ConnectAsync(LiveNode node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_open.TryGetValue(node.Name, out var open) && !open.Connection.IsClosed && open.SipAddress == node.SipAddress)
        {
            return true;
        }

        var outcome = await connect(Target(node), cancellationToken);
        if (!outcome.Succeeded)
        {
            SwitchLog.NodeUnreachable(logger, node.Name, outcome.Failure);
            _open.TryRemove(node.Name, out _);
            return false;
        }

        _open[node.Name] = (outcome.Connection, node.SipAddress);
        return true;
    }

    /// <summary>The snapshot of who holds what, replaced whole (tests set it without a database).</summary>
    public void Update(IReadOnlyDictionary<(Guid TenantId, string Number), string> held) => Volatile.Write(ref _holders, held);

    /// <summary>
    /// A node leg towards the node holding <paramref name="number"/> of <paramref name="tenantId"/>, or null when no other
    /// node holds it or its connection is down.
    /// </summary>
    public CallLeg? Fork(string callerParty, Guid tenantId, string number, LegSignalling sip)
    {
        if (!Volatile.Read(ref _holders).TryGetValue((tenantId, number), out var node)
            || !_open.TryGetValue(node, out var open) || open.Connection.IsClosed)
        {
            return null;
        }

        var leg = HandsetLeg.Outbound(callerParty, number, $"sip:{number}@{open.SipAddress};transport=tls", open.Connection, sip, new NodeHop(node, tenantId));
        SwitchLog.CallToNode(logger, leg.CallId, number, node);
        return leg;
    }

    /// <summary>
    /// A node is reached at the SIP address it joined with; its certificate must be the node certificate of that name from
    /// the platform CA (checked by <see cref="PeerAuthenticator.VerifyNode"/>).
    /// </summary>
    public static PeerTarget Target(LiveNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var endpoint = IPEndPoint.Parse(node.SipAddress);
        return new PeerTarget(PeerKind.Node, node.Name, NodeRecognizer.IdOf(node.Name), null, endpoint.Address.ToString(), endpoint.Port, node.Name);
    }
}
