using System.Net;
using System.Net.Sockets;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// The media of one call: the caller's side (A) and the callee's side (B), each with its sockets and its
/// <see cref="RelayLeg"/>. Once started, one relay thread reads both sides' sockets, decrypts with that side's leg and
/// re-encrypts toward the other (SRTP-to-SRTP), allocating nothing per packet.
/// </summary>
internal sealed class RelaySession : IAsyncDisposable
{
    private readonly RelayThread _thread;
    private readonly List<RelayLeg> _retired = [];
    private RelayLeg? _a;
    private RelayLeg? _b;
    private IMediaTap? _tap;
    private int _started;
    private int _disposed;

    public RelaySession(RelaySocketPair sideA, RelaySocketPair sideB, TimeProvider time, RelayThread thread)
    {
        SideA = sideA;
        SideB = sideB;
        Activity = new MediaActivity(time);
        _thread = thread;
    }

    public RelaySocketPair SideA { get; }

    public RelaySocketPair SideB { get; }

    /// <summary>Authentic packets relayed and handed to the kernel, both directions.</summary>
    public long PacketsRelayed;

    /// <summary>When each side last sent media; the call's media watch hangs up when one side has gone quiet.</summary>
    public MediaActivity Activity { get; }

    internal RelayLeg? LegA => Volatile.Read(ref _a);

    internal RelayLeg? LegB => Volatile.Read(ref _b);

    internal IMediaTap? Tap => Volatile.Read(ref _tap);

    /// <summary>The relay thread's registration tokens of SideA.Rtp, SideA.Rtcp, SideB.Rtp, SideB.Rtcp (its own use).</summary>
    internal int[] Tokens { get; } = [-1, -1, -1, -1];

    /// <summary>The kinds of party on side A and side B right now ("handset", "node", ...), for media quality metrics.</summary>
    internal Func<(string A, string B)>? LegKinds { get; set; }

    /// <summary>Told once, when the session closes, while its legs still hold their final counts (metrics).</summary>
    internal Action<RelaySession>? Closing { get; set; }

    /// <summary>
    /// Sets (or, after a re-INVITE, replaces) the legs and starts relaying. With <paramref name="dropEarlier"/>, what reached
    /// the ports before the first start (a caller talking over the recording notice) is dropped, never relayed late.
    /// </summary>
    public void Start(RelayLeg a, RelayLeg b, bool dropEarlier = false)
    {
        ReplaceA(a);
        ReplaceB(b);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            if (dropEarlier)
            {
                Discard(SideA);
                Discard(SideB);
            }

            Activity.Restart();
            _thread.Add(this);
        }
    }

    private static void Discard(RelaySocketPair side)
    {
        Span<byte> scratch = stackalloc byte[2048];
        foreach (var socket in (ReadOnlySpan<Socket>)[side.Rtp, side.Rtcp])
        {
            try
            {
                while (socket.Available > 0)
                {
                    socket.Receive(scratch, SocketFlags.None);
                }
            }
            catch (SocketException)
            {
                // An ICMP error queued on the socket: nothing more of the past to drop.
            }
        }
    }

    /// <summary>Swaps side A's crypto (re-INVITE); side B's leg and its outbound stream are untouched.</summary>
    public void ReplaceA(RelayLeg a) => Retire(Interlocked.Exchange(ref _a, a));

    public void ReplaceB(RelayLeg b) => Retire(Interlocked.Exchange(ref _b, b));

    /// <summary>Sets (or with null, clears) what sees the decrypted audio of both sides.</summary>
    public void SetTap(IMediaTap? tap) => Volatile.Write(ref _tap, tap);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _started) == 1)
        {
            // The sockets close only once the relay thread has let go of them: a closed descriptor number can be reused.
            await _thread.RemoveAsync(this);
        }

        Closing?.Invoke(this);
        SideA.Dispose();
        SideB.Dispose();
        lock (_retired)
        {
            foreach (var leg in _retired)
            {
                leg.Dispose();
            }

            _retired.Clear();
        }

        _a?.Dispose();
        _b?.Dispose();
    }

    internal static IPEndPoint? ToEndPoint(SocketAddress? address) =>
        address is null ? null : (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address);

    /// <summary>A replaced leg may still be in use by the relay thread this instant; it is disposed with the session.</summary>
    private void Retire(RelayLeg? old)
    {
        if (old is not null)
        {
            lock (_retired)
            {
                _retired.Add(old);
            }
        }
    }
}
