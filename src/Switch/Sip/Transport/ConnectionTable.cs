using System.Collections.Concurrent;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>Open connections by flow token (RFC 5626 §5.2), so requests to a handset reuse its own TLS connection (RFC 5923).</summary>
internal sealed class ConnectionTable
{
    private readonly ConcurrentDictionary<long, SipConnection> _connections = new();
    private readonly Lock _adding = new();
    private long _nextId;

    public int Count => _connections.Count;

    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Adds the connection unless its device (or peer) already holds <paramref name="maxPerDevice"/> open ones.</summary>
    public bool TryAdd(SipConnection connection, int maxPerDevice)
    {
        var ownerId = connection.OwnerId;
        lock (_adding)
        {
            if (_connections.Values.Count(c => !c.IsClosed && c.OwnerId == ownerId) >= maxPerDevice)
            {
                return false;
            }

            _connections[connection.Id] = connection;
            return true;
        }
    }

    public void Remove(SipConnection connection) => _connections.TryRemove(new KeyValuePair<long, SipConnection>(connection.Id, connection));

    public bool TryGet(long flowToken, out SipConnection connection) => _connections.TryGetValue(flowToken, out connection!);

    public IEnumerable<SipConnection> All => _connections.Values;
}
