namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>
/// Counts what one receiver got of an RTP stream: the extended highest sequence number with its wraps (RFC 3550
/// Appendix A.1, simplified for a stream that starts at a known point), packets received, duplicates and reordering.
/// </summary>
internal struct SequenceTracker
{
    private bool _started;
    private ushort _highest;
    private int _cycles;
    private int _base;

    public long Received { get; private set; }

    public long OutOfOrder { get; private set; }

    /// <summary>Packets expected from the first one seen to the highest seen (RFC 3550 A.3).</summary>
    public readonly long Expected => _started ? ((long)_cycles * 65536) + _highest - _base + 1 : 0;

    /// <summary>Expected minus received; negative when duplicates arrived.</summary>
    public readonly long Lost => Expected - Received;

    public void Add(ushort sequence)
    {
        Received++;
        if (!_started)
        {
            _started = true;
            _highest = sequence;
            _base = sequence;
            return;
        }

        var delta = (ushort)(sequence - _highest);
        if (delta == 0)
        {
            return;
        }

        if (delta < 0x8000)
        {
            // Forward: the counter wrapped when the new number is below the old highest.
            if (sequence < _highest)
            {
                _cycles++;
            }

            _highest = sequence;
        }
        else
        {
            OutOfOrder++;
        }
    }
}
