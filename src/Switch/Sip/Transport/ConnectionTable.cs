using System.Collections.Concurrent;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>Open connections by flow token (RFC 5626 §5.2), so requests to a handset reuse its own TLS connection (RFC 5923).</summary>
internal sealed class ConnectionTable
{
    private readonly ConcurrentDictionary<long, SipConnection> _connections = new();

    // Each owner's (device's or peer's) connections, for the limit per owner: a new connection looks at its owner's few
    // and not at every connection on the node (a reconnect storm of N handsets would otherwise cost N² checks).
    // Guarded by _adding, as is _ownerOf, which keeps the owner a connection was counted under.
    private readonly Dictionary<Guid, List<SipConnection>> _byOwner = [];
    private readonly Dictionary<long, Guid> _ownerOf = [];
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
            if (!_byOwner.TryGetValue(ownerId, out var owned))
            {
                owned = [];
                _byOwner[ownerId] = owned;
            }

            var open = 0;
            foreach (var held in owned)
            {
                open += held.IsClosed ? 0 : 1;
            }

            if (open >= maxPerDevice)
            {
                return false;
            }

            owned.Add(connection);
            _ownerOf[connection.Id] = ownerId;
            _connections[connection.Id] = connection;
            return true;
        }
    }

    public void Remove(SipConnection connection)
    {
        lock (_adding)
        {
            if (!_connections.TryRemove(new KeyValuePair<long, SipConnection>(connection.Id, connection))
                || !_ownerOf.Remove(connection.Id, out var ownerId)
                || !_byOwner.TryGetValue(ownerId, out var owned))
            {
                return;
            }

            owned.Remove(connection);
            if (owned.Count == 0)
            {
                _byOwner.Remove(ownerId);
            }
        }
    }

    public bool TryGet(long flowToken, out SipConnection connection) => _connections.TryGetValue(flowToken, out connection!);

    public IEnumerable<SipConnection> All => _connections.Values;
}
