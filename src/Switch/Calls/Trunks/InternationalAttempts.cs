namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// Each tenant's international attempts of the last minutes, for the burst rule. Times come from the injected
/// <see cref="TimeProvider"/>; entries older than the longest window asked for are dropped as they are passed.
/// </summary>
internal sealed class InternationalAttempts(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Queue<DateTimeOffset>> _attempts = [];

    /// <summary>How many attempts the tenant made within <paramref name="window"/> before now.</summary>
    public int Recent(Guid tenantId, TimeSpan window)
    {
        lock (_gate)
        {
            if (!_attempts.TryGetValue(tenantId, out var queue))
            {
                return 0;
            }

            var since = time.GetUtcNow() - window;
            while (queue.Count > 0 && queue.Peek() <= since)
            {
                queue.Dequeue();
            }

            return queue.Count;
        }
    }

    public void Add(Guid tenantId)
    {
        lock (_gate)
        {
            if (!_attempts.TryGetValue(tenantId, out var queue))
            {
                _attempts[tenantId] = queue = new Queue<DateTimeOffset>();
            }

            queue.Enqueue(time.GetUtcNow());
        }
    }

    /// <summary>Forgets the tenant's attempts (its suspension was lifted: the count starts afresh).</summary>
    public void Clear(Guid tenantId)
    {
        lock (_gate)
        {
            _attempts.Remove(tenantId);
        }
    }
}
