namespace HostedPbx.Switch.Sip.Registrar;

/// <summary>
/// The location service of this node: bindings per (tenant, extension), several per extension, and for each connection
/// the extensions it made bindings for, so that what a connection's change or close touches is its own bindings, not
/// every binding on the node (a directory change re-checks every connection: that was O(connections × bindings)).
/// </summary>
internal sealed class BindingTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid TenantId, string Extension), List<Binding>> _bindings = [];

    // A superset: every key under which the connection holds or once held a binding (a stale key costs one lookup).
    private readonly Dictionary<long, HashSet<(Guid TenantId, string Extension)>> _byConnection = [];

    public IReadOnlyList<Binding> Find(Guid tenantId, string extension, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _bindings.TryGetValue((tenantId, extension), out var list) ? [.. list.Where(b => b.ExpiresAt > now)] : [];
        }
    }

    /// <summary>Adds or refreshes the binding for the same contact URI; returns the one replaced, if any.</summary>
    public Binding? Upsert(Binding binding)
    {
        lock (_gate)
        {
            var key = (binding.TenantId, binding.Extension);
            if (!_bindings.TryGetValue(key, out var list))
            {
                _bindings[key] = list = [];
            }

            if (!_byConnection.TryGetValue(binding.ConnectionId, out var held))
            {
                _byConnection[binding.ConnectionId] = held = [];
            }

            held.Add(key);

            // RFC 3261 §10.3 step 7: a binding is identified by its contact URI (compared per §19.1.4; equal text here).
            var index = list.FindIndex(b => string.Equals(b.ContactUri, binding.ContactUri, StringComparison.OrdinalIgnoreCase));
            Binding? replaced = null;
            if (index >= 0)
            {
                replaced = list[index];
                list[index] = binding with { Id = replaced.Id };
            }
            else
            {
                list.Add(binding);
            }

            return replaced;
        }
    }

    public List<Binding> Remove(Guid tenantId, string extension, Func<Binding, bool> match)
    {
        lock (_gate)
        {
            if (!_bindings.TryGetValue((tenantId, extension), out var list))
            {
                return [];
            }

            var removed = list.Where(match).ToList();
            list.RemoveAll(b => match(b));
            return removed;
        }
    }

    /// <summary>Every live binding on this node (re-announced when the node joins again after a stall).</summary>
    public List<Binding> AllLive(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _bindings.Values.SelectMany(list => list.Where(b => b.ExpiresAt > now))];
        }
    }

    /// <summary>Live bindings on this node, all extensions (a metric).</summary>
    public int CountLive(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _bindings.Values.Sum(list => list.Count(b => b.ExpiresAt > now));
        }
    }

    /// <summary>
    /// How many live bindings the extension would hold once <paramref name="contactUris"/> were bound (a contact already
    /// bound is refreshed, not added; RFC 3261 §10.3 step 7).
    /// </summary>
    public int CountAfter(Guid tenantId, string extension, IReadOnlyCollection<string> contactUris, DateTimeOffset now)
    {
        lock (_gate)
        {
            var live = _bindings.TryGetValue((tenantId, extension), out var list) ? list.Where(b => b.ExpiresAt > now).ToList() : [];
            return live.Count + contactUris.Count(uri => !live.Exists(b => string.Equals(b.ContactUri, uri, StringComparison.OrdinalIgnoreCase)));
        }
    }

    /// <summary>Removes the bindings made over <paramref name="connectionId"/> for extensions not in <paramref name="lines"/>.</summary>
    public List<Binding> RemoveUnbound(long connectionId, IReadOnlyCollection<string> lines)
    {
        lock (_gate)
        {
            return RemoveHeldBy(connectionId, lines, forget: false);
        }
    }

    /// <summary>RFC 5626 §5.3: when the flow dies, its bindings go with it.</summary>
    public List<Binding> RemoveConnection(long connectionId)
    {
        lock (_gate)
        {
            return RemoveHeldBy(connectionId, null, forget: true);
        }
    }

    // Under the gate: the connection's bindings except those for an extension in keep (all of them when keep is null).
    private List<Binding> RemoveHeldBy(long connectionId, IReadOnlyCollection<string>? keep, bool forget)
    {
        var removed = new List<Binding>();
        if (!_byConnection.TryGetValue(connectionId, out var held))
        {
            return removed;
        }

        foreach (var key in held)
        {
            if ((keep is not null && keep.Contains(key.Extension)) || !_bindings.TryGetValue(key, out var list))
            {
                continue;
            }

            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (list[i].ConnectionId == connectionId)
                {
                    removed.Add(list[i]);
                    list.RemoveAt(i);
                }
            }
        }

        if (forget)
        {
            _byConnection.Remove(connectionId);
        }

        return removed;
    }
}
