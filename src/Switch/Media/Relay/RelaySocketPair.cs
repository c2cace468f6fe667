using System.Net.Sockets;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>The RTP and RTCP sockets of one side of a relayed call.</summary>
internal sealed class RelaySocketPair(PortPool pool, int index, int rtpPort, Socket rtp, Socket rtcp) : IDisposable
{
    private int _disposed;

    public int RtpPort { get; } = rtpPort;

    public Socket Rtp { get; } = rtp;

    public Socket Rtcp { get; } = rtcp;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Rtp.Dispose();
            Rtcp.Dispose();
            pool.Return(index);
        }
    }
}
