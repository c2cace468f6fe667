using System.Net;
using System.Runtime.InteropServices;
using HostedPbx.Switch.Media.Relay.Linux;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>Datagrams queued for one socket, sent with one <c>sendmmsg</c> (pinned, allocated once).</summary>
internal sealed class OutgoingBatch
{
    private const int NameSize = 32;
    private readonly LinuxSockets.MessageHeader[] _messages = GC.AllocateArray<LinuxSockets.MessageHeader>(RelayBatch.Capacity, pinned: true);
    private readonly LinuxSockets.IoVector[] _vectors = GC.AllocateArray<LinuxSockets.IoVector>(RelayBatch.Capacity, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(RelayBatch.Capacity * NameSize, pinned: true);
    private int _count;

    public OutgoingBatch()
    {
        for (var i = 0; i < RelayBatch.Capacity; i++)
        {
            _messages[i].IoVectors = Marshal.UnsafeAddrOfPinnedArrayElement(_vectors, i);
            _messages[i].IoVectorCount = 1;
            _messages[i].Name = Marshal.UnsafeAddrOfPinnedArrayElement(_names, i * NameSize);
        }
    }

    public void Add(nint data, int length, SocketAddress destination)
    {
        var size = Math.Min(destination.Size, NameSize);
        destination.Buffer.Span[..size].CopyTo(_names.AsSpan(_count * NameSize, NameSize));
        _messages[_count].NameLength = (uint)size;
        _vectors[_count].Base = data;
        _vectors[_count].Length = (nuint)length;
        _count++;
    }

    /// <summary>Sends the queue; a datagram the kernel refuses (full buffer, unreachable) is skipped and counted.</summary>
    public int Flush(nint fd)
    {
        var refused = 0;
        var sent = 0;
        while (sent < _count)
        {
            var done = LinuxSockets.SendMessages(fd, Marshal.UnsafeAddrOfPinnedArrayElement(_messages, sent), (uint)(_count - sent), LinuxSockets.MessageDontWait);
            if (done < 0 && Marshal.GetLastPInvokeError() == LinuxSockets.Interrupted)
            {
                continue;
            }

            // sendmmsg stops at the first datagram that fails: drop that one and go on with the rest.
            sent += done > 0 ? done : 1;
            refused += done > 0 ? 0 : 1;
        }

        _count = 0;
        return refused;
    }
}
