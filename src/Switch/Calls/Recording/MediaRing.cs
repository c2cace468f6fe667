namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// A single-producer single-consumer ring of whole RTP packets, all memory allocated up front: the relay thread copies a
/// decrypted packet in (nothing more, never blocking), the recorder's writer thread takes packets out. When the writer
/// falls behind and the ring is full, packets are dropped and counted; the timeline keeps their time as a gap.
/// </summary>
internal sealed class MediaRing
{
    public const int SlotSize = 512;

    private readonly byte[] _slots;
    private readonly int[] _lengths;
    private readonly bool[] _fromA;
    private readonly long[] _arrived;
    private readonly int _mask;
    private readonly TimeProvider _time;
    private long _head;
    private long _tail;
    private long _dropped;

    /// <param name="capacity">Packets held; a power of two.</param>
    /// <param name="time">Stamps each packet's arrival (<see cref="TimeProvider.GetTimestamp"/>).</param>
    public MediaRing(int capacity, TimeProvider time)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "The ring's capacity is a power of two.");
        }

        _slots = new byte[capacity * SlotSize];
        _lengths = new int[capacity];
        _fromA = new bool[capacity];
        _arrived = new long[capacity];
        _mask = capacity - 1;
        _time = time;
    }

    /// <summary>Packets the ring had no room for (the writer fell behind) or that were too long to keep.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The producer's side: copies the packet in, or drops it when the ring is full. Allocates nothing.</summary>
    public void Put(bool fromA, ReadOnlySpan<byte> packet)
    {
        var head = _head;
        if (head - Volatile.Read(ref _tail) > _mask || packet.Length > SlotSize)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var slot = (int)(head & _mask);
        packet.CopyTo(_slots.AsSpan(slot * SlotSize, SlotSize));
        _lengths[slot] = packet.Length;
        _fromA[slot] = fromA;
        _arrived[slot] = _time.GetTimestamp();
        Volatile.Write(ref _head, head + 1);
    }

    /// <summary>The consumer's side: the oldest packet, or false when the ring is empty. The span is valid until <see cref="Release"/>.</summary>
    public bool TryPeek(out bool fromA, out long arrived, out ReadOnlySpan<byte> packet)
    {
        var tail = _tail;
        if (tail == Volatile.Read(ref _head))
        {
            fromA = false;
            arrived = 0;
            packet = default;
            return false;
        }

        var slot = (int)(tail & _mask);
        fromA = _fromA[slot];
        arrived = _arrived[slot];
        packet = _slots.AsSpan(slot * SlotSize, _lengths[slot]);
        return true;
    }

    public void Release() => Volatile.Write(ref _tail, _tail + 1);
}
