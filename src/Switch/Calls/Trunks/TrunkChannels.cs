namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>Calls in progress per trunk, held against its MaxChannels: a trunk that is full is skipped like one that failed.</summary>
internal sealed class TrunkChannels
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, int> _inUse = [];

    public int InUse(Guid trunkId)
    {
        lock (_gate)
        {
            return _inUse.GetValueOrDefault(trunkId);
        }
    }

    /// <summary>A channel of <paramref name="trunk"/>; <paramref name="force"/> (an emergency call) takes one even from a full trunk.</summary>
    public bool TryTake(PstnTrunk trunk, bool force = false)
    {
        lock (_gate)
        {
            var used = _inUse.GetValueOrDefault(trunk.Id);
            if (used >= trunk.MaxChannels && !force)
            {
                return false;
            }

            _inUse[trunk.Id] = used + 1;
            return true;
        }
    }

    public void Release(Guid trunkId)
    {
        lock (_gate)
        {
            if (_inUse.TryGetValue(trunkId, out var used))
            {
                if (used <= 1)
                {
                    _inUse.Remove(trunkId);
                }
                else
                {
                    _inUse[trunkId] = used - 1;
                }
            }
        }
    }
}
