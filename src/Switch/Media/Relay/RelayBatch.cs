using System.Net;
using System.Runtime.InteropServices;
using HostedPbx.Switch.Media.Relay.Linux;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// One relay thread's pinned buffers: a slot per datagram for one <c>recvmmsg</c>, and two outgoing batches (toward the
/// other side's RTP socket and its RTCP socket) that point into the same slots, since each packet is re-keyed in place.
/// Allocated once per thread; nothing here allocates per packet.
/// </summary>
internal sealed class RelayBatch
{
    /// <summary>Datagrams per system call, and the most one socket gets per round (per-call fairness).</summary>
    public const int Capacity = 32;

    /// <summary>A slot holds the largest datagram accepted plus room for the other leg's SRTP overhead.</summary>
    public const int SlotSize = 2048;
    private const int Headroom = 64;
    private const int NameSize = 32;

    private readonly byte[] _data = GC.AllocateArray<byte>(Capacity * SlotSize, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(Capacity * NameSize, pinned: true);
    private readonly LinuxSockets.MessageHeader[] _received = GC.AllocateArray<LinuxSockets.MessageHeader>(Capacity, pinned: true);
    private readonly LinuxSockets.IoVector[] _receiveVectors = GC.AllocateArray<LinuxSockets.IoVector>(Capacity, pinned: true);
    private readonly OutgoingBatch[] _outgoing = [new(), new()];
    private readonly nint _receivedAddress;

    public RelayBatch()
    {
        for (var i = 0; i < Capacity; i++)
        {
            _receiveVectors[i].Base = Marshal.UnsafeAddrOfPinnedArrayElement(_data, i * SlotSize);
            _receiveVectors[i].Length = SlotSize - Headroom;
            _received[i].IoVectors = Marshal.UnsafeAddrOfPinnedArrayElement(_receiveVectors, i);
            _received[i].IoVectorCount = 1;
            _received[i].Name = Marshal.UnsafeAddrOfPinnedArrayElement(_names, i * NameSize);
        }

        _receivedAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_received, 0);
    }

    /// <summary>Reads up to <see cref="Capacity"/> waiting datagrams without blocking; 0 when the socket is dry.</summary>
    public int Receive(nint socket)
    {
        for (var i = 0; i < Capacity; i++)
        {
            _received[i].NameLength = NameSize;
            _received[i].Flags = 0;
        }

        var count = LinuxSockets.ReceiveMessages(socket, _receivedAddress, Capacity, LinuxSockets.MessageDontWait, 0);
        return Math.Max(count, 0);
    }

    public Span<byte> Slot(int index) => _data.AsSpan(index * SlotSize, SlotSize);

    public int Length(int index) => (int)_received[index].Length;

    /// <summary>True when the datagram did not fit its slot (the kernel cut it): too long to relay.</summary>
    public bool IsTruncated(int index) => (_received[index].Flags & LinuxSockets.MessageTruncated) != 0;

    /// <summary>Copies where datagram <paramref name="index"/> came from into <paramref name="source"/>, without allocating.</summary>
    public void CopySource(int index, SocketAddress source)
    {
        var length = (int)Math.Min(_received[index].NameLength, (uint)source.Buffer.Length);
        _names.AsSpan(index * NameSize, length).CopyTo(source.Buffer.Span);
        source.Size = length;
    }

    /// <summary>Queues the re-keyed datagram in slot <paramref name="index"/> for the RTP (0) or RTCP (1) socket.</summary>
    public void Queue(int socket, int index, int length, SocketAddress destination) =>
        _outgoing[socket].Add(Marshal.UnsafeAddrOfPinnedArrayElement(_data, index * SlotSize), length, destination);

    /// <summary>Sends what is queued for the RTP (0) or RTCP (1) socket; returns how many datagrams the kernel refused.</summary>
    public int Flush(int socket, nint fd) => _outgoing[socket].Flush(fd);
}
