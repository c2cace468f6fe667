using System.Collections.Concurrent;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>Open connections by flow token (RFC 5626 §5.2), so requests to a handset reuse its own TLS connection (RFC 5923).</summary>
internal sealed class ConnectionTable
{
    private readonly ConcurrentDictionary<long, SipConnection> _connections = new();
    private long _nextId;

    public int Count => _connections.Count;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(SipConnection connection) => _connections[connection.Id] = connection;

    public void Remove(SipConnection connection) => _connections.TryRemove(new KeyValuePair<long, SipConnection>(connection.Id, connection));

    public bool TryGet(long flowToken, out SipConnection connection) => _connections.TryGetValue(flowToken, out connection!);

    public IEnumerable<SipConnection> All => _connections.Values;
}
