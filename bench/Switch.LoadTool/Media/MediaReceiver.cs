using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using HostedPbx.Switch.Media.Relay;
using HostedPbx.Switch.Media.Relay.Linux;

namespace HostedPbx.Switch.LoadTool.Media;

/// <summary>
/// The tool's receive side, built from the switch's own engine parts so that it costs what the switch costs: a few
/// threads, each watching its share of the endpoints' sockets with epoll and draining each ready socket with one
/// <c>recvmmsg</c> (<see cref="RelayBatch"/>), instead of an async receive loop per socket. A round that found little
/// sleeps the gather interval, so the arrival time an endpoint sees for jitter is late by at most that much.
/// </summary>
internal sealed class MediaReceiver : IDisposable
{
    private const int MaxEvents = 256;
    private readonly IReadOnlyList<MediaEndpoint> _endpoints;
    private readonly Thread[] _threads;
    private readonly int[] _epolls;
    private readonly LinuxSockets.TimeSpec _gather;
    private volatile bool _stopping;

    public MediaReceiver(IReadOnlyList<MediaEndpoint> endpoints, int threads, TimeSpan gather)
    {
        _endpoints = endpoints;
        _gather = new LinuxSockets.TimeSpec { Nanoseconds = gather.Ticks * 100 };
        _threads = new Thread[threads];
        _epolls = new int[threads];
        var control = GC.AllocateArray<byte>(16, pinned: true);
        for (var t = 0; t < threads; t++)
        {
            _epolls[t] = LinuxSockets.EpollCreate(LinuxSockets.CloseOnExec);
            for (var i = t; i < endpoints.Count; i += threads)
            {
                control.AsSpan().Clear();
                BinaryPrimitives.WriteUInt32LittleEndian(control, LinuxSockets.EpollIn);
                BinaryPrimitives.WriteUInt64LittleEndian(control.AsSpan(LinuxSockets.EpollDataOffset), (ulong)i);
                endpoints[i].Socket.Blocking = false;
                if (LinuxSockets.EpollControl(_epolls[t], LinuxSockets.EpollAdd, (int)endpoints[i].Socket.SafeHandle.DangerousGetHandle(), Marshal.UnsafeAddrOfPinnedArrayElement(control, 0)) < 0)
                {
                    throw new InvalidOperationException($"epoll_ctl failed (errno {Marshal.GetLastPInvokeError()}).");
                }
            }

            var epoll = _epolls[t];
            _threads[t] = new Thread(() => Run(epoll)) { IsBackground = true, Name = $"media-receive-{t}" };
            _threads[t].Start();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var epoll in _epolls)
        {
            _ = LinuxSockets.Close(epoll);
        }
    }

    private void Run(int epoll)
    {
        var batch = new RelayBatch();
        var events = GC.AllocateArray<byte>(MaxEvents * LinuxSockets.EpollEventSize, pinned: true);
        var eventsAddress = Marshal.UnsafeAddrOfPinnedArrayElement(events, 0);
        while (!_stopping)
        {
            var ready = LinuxSockets.EpollWait(epoll, eventsAddress, MaxEvents, 0);
            var handled = 0;
            var arrival = Stopwatch.GetTimestamp();
            for (var e = 0; e < ready; e++)
            {
                var endpoint = _endpoints[(int)BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan((e * LinuxSockets.EpollEventSize) + LinuxSockets.EpollDataOffset))];
                var received = batch.Receive(endpoint.Socket.SafeHandle.DangerousGetHandle());
                for (var i = 0; i < received; i++)
                {
                    endpoint.OnDatagram(batch.Slot(i)[..batch.Length(i)], arrival);
                }

                handled += received;
            }

            if (handled < 2 * RelayBatch.Capacity)
            {
                _ = LinuxSockets.Sleep(in _gather, 0);
            }
        }
    }
}
