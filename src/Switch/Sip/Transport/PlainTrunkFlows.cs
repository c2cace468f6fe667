using System.Collections.Concurrent;
using System.Net;
using System.Security.Authentication;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Udp;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// The life of a plain trunk's flows (issue 11), the same over UDP and TCP: each is a <see cref="SipConnection"/> bound to
/// its trunk by address alone (no certificate), held on every request to the trunk still being allowed plain transport
/// where it was bound, counted in the connection table, run until it closes and then forgotten. The transports keep only
/// what differs: datagrams on one shared socket (<see cref="PlainTrunkSocket"/>) or a stream per connection
/// (<see cref="Tcp.PlainTcpTrunks"/>), and how each indexes its flows (<paramref name="forget"/> drops a closed one).
/// </summary>
internal sealed class PlainTrunkFlows(
    SignallingTransport transport, IPEndPoint local, string trunkKind, ConnectionTable connections, ISipConnectionHandler handler,
    SipConnectionLimits limits, TimeProvider time, ILogger logger, Action<SipConnection> forget, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<long, SipConnection> _open = new();

    public IPEndPoint LocalEndPoint => local;

    /// <summary>Our host:port in Via and Contact on these flows (RFC 3261 §18.1.1), so a trunk's answers and requests come here.</summary>
    public string SentBy { get; } = local.ToString();

    /// <summary>The flows started and not yet ended, opened by the switch or by the trunk.</summary>
    public ICollection<SipConnection> Open => _open.Values;

    /// <summary>
    /// A new flow over <paramref name="stream"/> bound to <paramref name="peer"/>, whose identity asks
    /// <paramref name="stillHolds"/> on every request (and with every new directory) whether the trunk still may be here.
    /// </summary>
    public SipConnection Bind(PlainPeer peer, Stream stream, IPEndPoint remote, Func<string?> stillHolds) =>
        new(connections.NextId(), stream, remote, new PeerConnectionIdentity(peer.Identity, stillHolds, time), SslProtocols.None, "", handler, time, limits, logger)
        {
            Transport = transport,
            LocalSentBy = SentBy,
        };

    /// <summary>
    /// Counts <paramref name="flow"/> in the connection table, unless its trunk already holds <paramref name="maxPerTrunk"/>
    /// (false: the caller disposes it); then <paramref name="opened"/> records it, and it runs until it closes.
    /// </summary>
    public bool TryStart(SipConnection flow, int maxPerTrunk, Action opened)
    {
        if (!connections.TryAdd(flow, maxPerTrunk))
        {
            return false;
        }

        _open[flow.Id] = flow;
        opened();
        _ = Task.Run(() => RunAsync(flow), CancellationToken.None);
        return true;
    }

    /// <summary>Null while <paramref name="current"/>, the plain trunk the directory now has <paramref name="at"/>, is still <paramref name="bound"/>; otherwise why not.</summary>
    public string? StillHolds(PlainPeer bound, PlainPeer? current, object at) =>
        current is not null && current.Identity.PeerId == bound.Identity.PeerId ? null : $"{bound.Identity.Name} is no longer a {trunkKind} at {at}";

    /// <summary>Closes a flow whose trunk is gone, no longer allowed, or moved: its calls end as a closed connection's do.</summary>
    public void Close(SipConnection flow, string reason)
    {
        SwitchLog.PlainFlowClosed(logger, flow.Id, flow.Peer!.Current.Name, reason);
        flow.Close();
    }

    public void CloseAll()
    {
        foreach (var flow in _open.Values)
        {
            flow.Close();
        }
    }

    private async Task RunAsync(SipConnection flow)
    {
        try
        {
            await flow.RunAsync(stopping);
        }
        finally
        {
            _open.TryRemove(flow.Id, out _);
            forget(flow);
            connections.Remove(flow);
            await flow.DisposeAsync();
        }
    }
}
