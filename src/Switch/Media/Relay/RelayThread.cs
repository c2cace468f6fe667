using System.Collections.Concurrent;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HostedPbx.Switch.Media.Relay.Linux;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// One relay thread: watches the media sockets of its calls with epoll and, round after round, drains each ready socket
/// with one <c>recvmmsg</c> of at most <see cref="RelayBatch.Capacity"/> datagrams (so a flood on one call's ports waits
/// its turn like everyone else: level-triggered epoll hands the socket back next round), re-keys them in place and sends
/// them with one <c>sendmmsg</c> per outgoing socket. Both sides of a call are on one thread, so no lock sits on the
/// path. A round that found little sleeps the gather interval before the next, so at low load packets share wake-ups
/// instead of each paying its own; after many empty rounds the thread blocks in epoll until a packet comes.
/// </summary>
internal sealed class RelayThread : IDisposable
{
    private const int MaxEvents = 256;
    private const ulong WakeToken = ulong.MaxValue;

    /// <summary>A round with at least this many datagrams needs no gathering: the next is already waiting.</summary>
    private const int BusyRound = 2 * RelayBatch.Capacity;

    /// <summary>Empty gather rounds before the thread blocks instead (about 50 ms at the default interval).</summary>
    private const int IdleRoundsBeforeBlocking = 50;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly byte[] _events = GC.AllocateArray<byte>(MaxEvents * LinuxSockets.EpollEventSize, pinned: true);
    private readonly byte[] _control = GC.AllocateArray<byte>(16, pinned: true);
    private readonly byte[] _counter = GC.AllocateArray<byte>(8, pinned: true);
    private readonly byte[] _drained = GC.AllocateArray<byte>(8, pinned: true);
    private readonly RelayBatch _batch = new();
    private readonly SocketAddress _source = new(AddressFamily.InterNetworkV6);
    private readonly ConcurrentQueue<RelayCommand> _commands = new();
    private readonly List<RelayRegistration> _registrations = [];
    private readonly Stack<int> _free = new();
    private readonly LinuxSockets.TimeSpec _gather;
    private readonly bool _gathers;
    private readonly Thread? _thread;
    private volatile bool _stopping;
    private int _sessions;
    private long _sendErrors;
    private long _faults;
    private long _allocated;

    /// <param name="number">Names the thread.</param>
    /// <param name="gather">How long a quiet round sleeps so packets can gather.</param>
    /// <param name="start">False for a thread that only runs rounds when a test calls <see cref="RunRound"/>.</param>
    public RelayThread(int number, TimeSpan gather, bool start = true)
    {
        _epoll = LinuxSockets.EpollCreate(LinuxSockets.CloseOnExec);
        _wake = LinuxSockets.EventFd(0, LinuxSockets.EventFdNonBlocking | LinuxSockets.CloseOnExec);
        if (_epoll < 0 || _wake < 0)
        {
            throw new InvalidOperationException($"The relay engine could not create its epoll or eventfd (errno {Marshal.GetLastPInvokeError()}).");
        }

        Watch(_wake, WakeToken);
        _gather = new LinuxSockets.TimeSpec { Seconds = (long)gather.TotalSeconds, Nanoseconds = gather.Ticks % TimeSpan.TicksPerSecond * 100 };
        _gathers = gather > TimeSpan.Zero;
        if (start)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = $"media-relay-{number}" };
            _thread.Start();
        }
    }

    /// <summary>Calls on this thread (for spreading new calls).</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Datagrams the kernel refused to send (full socket buffer, unreachable destination).</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Rounds cut short by an unexpected exception (a bug); the thread goes on relaying.</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>
    /// Bytes this thread has allocated since it started, as of its last round: the relay's own figure, free of whatever
    /// else the process does (its steady state is 0 more per packet).
    /// </summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocated);

    public void Add(RelaySession session)
    {
        Interlocked.Increment(ref _sessions);
        Post(new RelayCommand(session, null));
    }

    /// <summary>Stops watching the session's sockets; completes once the thread will not touch them again.</summary>
    public Task RemoveAsync(RelaySession session)
    {
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new RelayCommand(session, removed));
        if (_stopping || _thread is not { IsAlive: true })
        {
            ApplyCommandsAfterStop();
        }

        return removed.Task;
    }

    public void Dispose()
    {
        _stopping = true;
        Signal();
        _thread?.Join();
        ApplyCommandsAfterStop();
        _ = LinuxSockets.Close(_epoll);
        _ = LinuxSockets.Close(_wake);
    }

    /// <summary>One round without waiting, on the caller's thread (for a thread made with start: false); returns the datagrams read.</summary>
    internal int RunRound()
    {
        var ready = LinuxSockets.EpollWait(_epoll, Marshal.UnsafeAddrOfPinnedArrayElement(_events, 0), MaxEvents, 0);
        return ready > 0 ? Round(ready) : 0;
    }

    private void Post(RelayCommand command)
    {
        _commands.Enqueue(command);
        Signal();
    }

    private void Signal()
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_counter, 1);
        _ = LinuxSockets.Write(_wake, Marshal.UnsafeAddrOfPinnedArrayElement(_counter, 0), 8);
    }

    private void Run()
    {
        var events = Marshal.UnsafeAddrOfPinnedArrayElement(_events, 0);
        var idleRounds = 0;
        while (!_stopping)
        {
            var ready = LinuxSockets.EpollWait(_epoll, events, MaxEvents, 0);
            if (ready == 0)
            {
                if (!_gathers || ++idleRounds > IdleRoundsBeforeBlocking || _registrations.Count == _free.Count)
                {
                    ready = LinuxSockets.EpollWait(_epoll, events, MaxEvents, -1);
                    idleRounds = 0;
                }
                else
                {
                    _ = LinuxSockets.Sleep(in _gather, 0);
                    continue;
                }
            }

            if (ready < 0)
            {
                continue;
            }

            var handled = Round(ready);
            Interlocked.Exchange(ref _allocated, GC.GetAllocatedBytesForCurrentThread());
            if (handled > 0)
            {
                idleRounds = 0;
            }

            if (_gathers && handled < BusyRound)
            {
                // Let the next packets arrive while the thread sleeps, instead of waking once for each.
                _ = LinuxSockets.Sleep(in _gather, 0);
            }
        }
    }

    private int Round(int ready)
    {
        var handled = 0;
        var commands = false;
        for (var i = 0; i < ready; i++)
        {
            var token = BinaryPrimitives.ReadUInt64LittleEndian(_events.AsSpan((i * LinuxSockets.EpollEventSize) + LinuxSockets.EpollDataOffset));
            if (token == WakeToken)
            {
                commands = true;
                continue;
            }

            try
            {
                handled += Drain(_registrations[(int)token]);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _faults);
            }
        }

        // Commands only between rounds: no event of this round can name a registration removed now.
        if (commands)
        {
            _ = LinuxSockets.Read(_wake, Marshal.UnsafeAddrOfPinnedArrayElement(_drained, 0), 8);
            ApplyCommands();
        }

        return handled;
    }

    private int Drain(RelayRegistration registration)
    {
        var session = registration.Session;
        if (session is null)
        {
            return 0;
        }

        var received = _batch.Receive(registration.Fd);
        var from = registration.FromA ? session.LegA : session.LegB;
        var toward = registration.FromA ? session.LegB : session.LegA;
        if (received == 0 || from is null || toward is null)
        {
            return received;
        }

        var tap = session.Tap;
        var forwarded = 0;
        for (var i = 0; i < received; i++)
        {
            if (_batch.IsTruncated(i))
            {
                from.CountTooLong();
                continue;
            }

            _batch.CopySource(i, _source);
            var result = from.Relay(_batch.Slot(i), _batch.Length(i), _source, registration.OnRtcpPort, toward, tap, registration.FromA);
            if (result.Outcome != RelayOutcome.Forward)
            {
                continue;
            }

            // Non-muxed RTCP leaves from the other side's RTCP port, everything else from its RTP port.
            var rtcpSocket = result.IsRtcp && !ReferenceEquals(result.Destination, toward.RtpDestination) ? 1 : 0;
            _batch.Queue(rtcpSocket, i, result.Length, result.Destination!);
            forwarded++;
        }

        if (forwarded > 0)
        {
            var other = registration.FromA ? session.SideB : session.SideA;
            var refused = _batch.Flush(0, other.Rtp.SafeHandle.DangerousGetHandle()) + _batch.Flush(1, other.Rtcp.SafeHandle.DangerousGetHandle());
            if (refused > 0)
            {
                Interlocked.Add(ref _sendErrors, refused);
            }

            session.Activity.Heard(registration.FromA);
            Interlocked.Add(ref session.PacketsRelayed, forwarded - refused);
        }

        return received;
    }

    private void ApplyCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            if (command.Removed is null)
            {
                var session = command.Session;
                try
                {
                    session.Tokens[0] = Register(session, session.SideA.Rtp, fromA: true, onRtcpPort: false);
                    session.Tokens[1] = Register(session, session.SideA.Rtcp, fromA: true, onRtcpPort: true);
                    session.Tokens[2] = Register(session, session.SideB.Rtp, fromA: false, onRtcpPort: false);
                    session.Tokens[3] = Register(session, session.SideB.Rtcp, fromA: false, onRtcpPort: true);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
                {
                    Interlocked.Increment(ref _faults);
                }

                continue;
            }

            Unregister(command.Session);
            command.Removed.TrySetResult();
        }
    }

    /// <summary>After the thread ended nothing reads the sockets: removals complete at once.</summary>
    private void ApplyCommandsAfterStop()
    {
        if (_thread is { IsAlive: true })
        {
            return;
        }

        while (_commands.TryDequeue(out var command))
        {
            command.Removed?.TrySetResult();
        }
    }

    private int Register(RelaySession session, Socket socket, bool fromA, bool onRtcpPort)
    {
        socket.Blocking = false;
        var fd = socket.SafeHandle.DangerousGetHandle();
        var registration = new RelayRegistration(session, fromA, onRtcpPort, fd);
        int token;
        if (_free.TryPop(out token))
        {
            _registrations[token] = registration;
        }
        else
        {
            token = _registrations.Count;
            _registrations.Add(registration);
        }

        Watch((int)fd, (ulong)token);
        return token;
    }

    private void Unregister(RelaySession session)
    {
        for (var i = 0; i < session.Tokens.Length; i++)
        {
            var token = session.Tokens[i];
            if (token < 0 || !ReferenceEquals(_registrations[token].Session, session))
            {
                continue;
            }

            _ = LinuxSockets.EpollControl(_epoll, LinuxSockets.EpollDelete, (int)_registrations[token].Fd, 0);
            _registrations[token] = default;
            _free.Push(token);
            session.Tokens[i] = -1;
        }

        Interlocked.Decrement(ref _sessions);
    }

    private void Watch(int fd, ulong token)
    {
        var control = _control.AsSpan();
        control.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(control, LinuxSockets.EpollIn);
        BinaryPrimitives.WriteUInt64LittleEndian(control[LinuxSockets.EpollDataOffset..], token);
        if (LinuxSockets.EpollControl(_epoll, LinuxSockets.EpollAdd, fd, Marshal.UnsafeAddrOfPinnedArrayElement(_control, 0)) < 0)
        {
            throw new InvalidOperationException($"The relay engine could not watch a media socket (errno {Marshal.GetLastPInvokeError()}).");
        }
    }
}
