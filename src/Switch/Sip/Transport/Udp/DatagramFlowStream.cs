using System.Net;
using System.Net.Sockets;

namespace HostedPbx.Switch.Sip.Transport.Udp;

/// <summary>
/// The sending half of a plain trunk's UDP flow, shaped as the stream a <see cref="SipConnection"/> writes to: each write
/// is one whole message and leaves as one datagram to the trunk's address (RFC 3261 §18.1.1). Nothing is read from it:
/// the shared socket's receive loop frames each datagram itself (RFC 3261 §18.3), so a read only waits for the close.
/// </summary>
internal sealed class DatagramFlowStream(Socket socket, IPEndPoint remote) : Stream
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await socket.SendToAsync(buffer, SocketFlags.None, remote, cancellationToken);
        }
        catch (SocketException)
        {
            // RFC 3261 §18.1.1: UDP gives no delivery report; a lost datagram is the transactions' retransmissions' business.
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _closed.Task.WaitAsync(cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _closed.TrySetResult();
        base.Dispose(disposing);
    }
}
