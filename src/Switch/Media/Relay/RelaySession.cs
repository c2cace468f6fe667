using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// The media of one call: the caller's side (A) and the callee's side (B), each with its sockets and its
/// <see cref="RelayLeg"/>. A receive loop per socket decrypts with that side's leg and re-encrypts toward the other
/// (SRTP-to-SRTP); the loops allocate nothing per packet.
/// </summary>
internal sealed class RelaySession : IAsyncDisposable
{
    private const int BufferSize = 2048;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private RelayLeg? _a;
    private RelayLeg? _b;

    public RelaySession(RelaySocketPair sideA, RelaySocketPair sideB, TimeProvider time)
    {
        SideA = sideA;
        SideB = sideB;
        Activity = new MediaActivity(time);
    }

    public RelaySocketPair SideA { get; }

    public RelaySocketPair SideB { get; }

    public long PacketsRelayed;

    /// <summary>When each side last sent media; the call's media watch hangs up when one side has gone quiet.</summary>
    public MediaActivity Activity { get; }

    /// <summary>Sets (or, after a re-INVITE, replaces) the legs and starts relaying.</summary>
    public void Start(RelayLeg a, RelayLeg b)
    {
        var oldA = Interlocked.Exchange(ref _a, a);
        var oldB = Interlocked.Exchange(ref _b, b);
        if (oldA is null && oldB is null)
        {
            Activity.Restart();
            _loops.Add(Task.Run(() => ReceiveLoopAsync(SideA.Rtp, fromA: true, onRtcp: false)));
            _loops.Add(Task.Run(() => ReceiveLoopAsync(SideA.Rtcp, fromA: true, onRtcp: true)));
            _loops.Add(Task.Run(() => ReceiveLoopAsync(SideB.Rtp, fromA: false, onRtcp: false)));
            _loops.Add(Task.Run(() => ReceiveLoopAsync(SideB.Rtcp, fromA: false, onRtcp: true)));
        }
    }

    public void ReplaceA(RelayLeg a) => Interlocked.Exchange(ref _a, a);

    public void ReplaceB(RelayLeg b) => Interlocked.Exchange(ref _b, b);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        SideA.Dispose();
        SideB.Dispose();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(Socket socket, bool fromA, bool onRtcp)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var source = new SocketAddress(socket.AddressFamily);
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                // Leave room for the other leg's SRTP overhead after the plaintext.
                var received = await socket.ReceiveFromAsync(buffer.AsMemory(0, BufferSize - 64), SocketFlags.None, source, token);
                var from = fromA ? Volatile.Read(ref _a) : Volatile.Read(ref _b);
                var toward = fromA ? Volatile.Read(ref _b) : Volatile.Read(ref _a);
                if (from is null || toward is null)
                {
                    continue;
                }

                var result = from.Relay(buffer, received, source, onRtcp, toward);
                if (result.Outcome != RelayOutcome.Forward)
                {
                    continue;
                }

                Activity.Heard(fromA);
                Interlocked.Increment(ref PacketsRelayed);
                var other = fromA ? SideB : SideA;
                var sender = result.IsRtcp && !ReferenceEquals(result.Destination, toward.RtpDestination) ? other.Rtcp : other.Rtp;
                await sender.SendToAsync(buffer.AsMemory(0, result.Length), SocketFlags.None, result.Destination!, token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static IPEndPoint? ToEndPoint(SocketAddress? address) =>
        address is null ? null : (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address);
}
