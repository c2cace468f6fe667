using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Relay.Linux;

namespace HostedPbx.Switch.Tests.Media.Relay.Linux;

/// <summary>The libc calls of the relay engine over real UDP sockets on loopback.</summary>
public sealed class LinuxSocketsTests : IDisposable
{
    private readonly Socket _a = Bound();
    private readonly Socket _b = Bound();

    [Fact]
    public void Structs_HaveTheKernelLayoutOf64BitLinux()
    {
        Assert.Equal(64, Marshal.SizeOf<LinuxSockets.MessageHeader>());
        Assert.Equal(16, Marshal.SizeOf<LinuxSockets.IoVector>());
        Assert.Equal(16, Marshal.SizeOf<LinuxSockets.TimeSpec>());
    }

    [Fact]
    public void SendMessagesThenReceiveMessages_FiveDatagrams_AllArriveInOrderWithTheirSource()
    {
        var batch = new RelayBatch();
        var to = _b.LocalEndPoint!.Serialize();
        for (var i = 0; i < 5; i++)
        {
            var slot = batch.Slot(i);
            slot[..(100 + i)].Fill((byte)i);
            batch.Queue(0, i, 100 + i, to);
        }

        Assert.Equal(0, batch.Flush(0, _a.SafeHandle.DangerousGetHandle()));
        var reader = new RelayBatch();
        var received = reader.Receive(_b.SafeHandle.DangerousGetHandle());

        Assert.Equal(5, received);
        var source = new SocketAddress(AddressFamily.InterNetworkV6);
        var expected = _a.LocalEndPoint!.Serialize();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(100 + i, reader.Length(i));
            Assert.All(reader.Slot(i)[..(100 + i)].ToArray(), b => Assert.Equal((byte)i, b));
            Assert.False(reader.IsTruncated(i));
            reader.CopySource(i, source);
            Assert.Equal(expected.Buffer.Span[..expected.Size].ToArray(), source.Buffer.Span[..source.Size].ToArray());
        }
    }

    [Fact]
    public void ReceiveMessages_DrySocket_ReturnsNothingWithoutBlocking()
    {
        _b.Blocking = false;

        Assert.Equal(0, new RelayBatch().Receive(_b.SafeHandle.DangerousGetHandle()));
    }

    [Fact]
    public void ReceiveMessages_DatagramLargerThanASlot_ReportedTruncated()
    {
        _a.SendTo(new byte[RelayBatch.SlotSize + 100], _b.LocalEndPoint!);
        var reader = new RelayBatch();

        Assert.Equal(1, reader.Receive(_b.SafeHandle.DangerousGetHandle()));
        Assert.True(reader.IsTruncated(0));
    }

    [Fact]
    public void EpollWait_SocketWithADatagram_ReportsItsToken()
    {
        var epoll = LinuxSockets.EpollCreate(LinuxSockets.CloseOnExec);
        var control = GC.AllocateArray<byte>(16, pinned: true);
        var events = GC.AllocateArray<byte>(4 * LinuxSockets.EpollEventSize, pinned: true);
        try
        {
            BinaryPrimitives.WriteUInt32LittleEndian(control, LinuxSockets.EpollIn);
            BinaryPrimitives.WriteUInt64LittleEndian(control.AsSpan(LinuxSockets.EpollDataOffset), 7);
            Assert.Equal(0, LinuxSockets.EpollControl(epoll, LinuxSockets.EpollAdd, (int)_b.SafeHandle.DangerousGetHandle(), Marshal.UnsafeAddrOfPinnedArrayElement(control, 0)));
            Assert.Equal(0, LinuxSockets.EpollWait(epoll, Marshal.UnsafeAddrOfPinnedArrayElement(events, 0), 4, 0));

            _a.SendTo(new byte[20], _b.LocalEndPoint!);

            Assert.Equal(1, LinuxSockets.EpollWait(epoll, Marshal.UnsafeAddrOfPinnedArrayElement(events, 0), 4, 0));
            Assert.Equal(LinuxSockets.EpollIn, BinaryPrimitives.ReadUInt32LittleEndian(events) & LinuxSockets.EpollIn);
            Assert.Equal(7UL, BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan(LinuxSockets.EpollDataOffset)));
        }
        finally
        {
            _ = LinuxSockets.Close(epoll);
        }
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
