using System.Runtime.InteropServices;

namespace HostedPbx.Switch.Media.Relay.Linux;

/// <summary>
/// The few libc calls the relay engine needs and the BCL has no batched form of: epoll to watch many media sockets from
/// one thread, recvmmsg/sendmmsg to move a batch of datagrams per system call, and an eventfd to wake the thread.
/// Every argument is blittable (pointers as <see cref="nint"/> into pinned arrays), so no call marshals or allocates
/// (DllImport rather than LibraryImport, whose generated stubs need unsafe code, which this project keeps off).
/// The struct layouts are those of 64-bit Linux (x86-64 and arm64).
/// </summary>
internal static class LinuxSockets
{
    public const int MessageDontWait = 0x40;
    public const int MessageTruncated = 0x20;
    public const uint EpollIn = 0x001;
    public const int EpollAdd = 1;
    public const int EpollDelete = 2;
    public const int CloseOnExec = 0x80000;
    public const int EventFdNonBlocking = 0x800;
    public const int WouldBlock = 11;
    public const int Interrupted = 4;

    /// <summary>
    /// The size of <c>struct epoll_event</c>: x86-64 packs it (a 32-bit event mask, then the 64-bit data at offset 4);
    /// other 64-bit ABIs align the data to 8.
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static extern int EpollCreate(int flags);

    /// <summary><c>epoll_ctl</c>; <paramref name="epollEvent"/> points at one <c>struct epoll_event</c>.</summary>
    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static extern int EpollControl(int epoll, int operation, int fd, nint epollEvent);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static extern int EpollWait(int epoll, nint events, int maxEvents, int timeoutMilliseconds);

    /// <summary><c>recvmmsg</c> without a timeout: up to <paramref name="count"/> datagrams into <paramref name="messages"/>.</summary>
    [DllImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static extern int ReceiveMessages(nint socket, nint messages, uint count, int flags, nint timeout);

    [DllImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static extern int SendMessages(nint socket, nint messages, uint count, int flags);

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static extern int EventFd(uint initialValue, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    public static extern nint Read(int fd, nint buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    public static extern nint Write(int fd, nint buffer, nint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    /// <summary><c>nanosleep</c>: the engine's gather interval, finer than <see cref="Thread.Sleep(int)"/>'s milliseconds.</summary>
    [DllImport("libc", EntryPoint = "nanosleep", SetLastError = true)]
    public static extern int Sleep(in TimeSpec duration, nint remaining);

    /// <summary><c>struct timespec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary><c>struct mmsghdr</c>: a <c>struct msghdr</c> (56 octets) and the octets the call moved.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct MessageHeader
    {
        [FieldOffset(0)]
        public nint Name;

        [FieldOffset(8)]
        public uint NameLength;

        [FieldOffset(16)]
        public nint IoVectors;

        [FieldOffset(24)]
        public nuint IoVectorCount;

        [FieldOffset(32)]
        public nint Control;

        [FieldOffset(40)]
        public nuint ControlLength;

        [FieldOffset(48)]
        public int Flags;

        [FieldOffset(56)]
        public uint Length;
    }
}
