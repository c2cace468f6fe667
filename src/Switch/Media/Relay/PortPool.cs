using System.Net;
using System.Net.Sockets;

namespace HostedPbx.Switch.Media.Relay;

/// <summary>
/// Hands out UDP port pairs (even RTP port, RTCP on the next, RFC 3550 §11) from the configured media range, bound to
/// the switch's address. A port another program holds is skipped.
/// </summary>
internal sealed class PortPool
{
    private readonly IPAddress _address;
    private readonly int _min;
    private readonly int _pairs;
    private readonly Lock _gate = new();
    private readonly bool[] _used;
    private int _next;

    public PortPool(IPAddress address, int min, int max)
    {
        _address = address;
        _min = min % 2 == 0 ? min : min + 1;
        _pairs = Math.Max(0, (max - _min + 1) / 2);
        _used = new bool[_pairs];
    }

    public IPAddress Address => _address;

    public RelaySocketPair? Rent()
    {
        lock (_gate)
        {
            for (var tried = 0; tried < _pairs; tried++)
            {
                var index = (_next + tried) % _pairs;
                if (_used[index])
                {
                    continue;
                }

                var port = _min + (index * 2);
                if (TryBind(port, out var rtp) && TryBind(port + 1, out var rtcp))
                {
                    _used[index] = true;
                    _next = (index + 1) % _pairs;
                    return new RelaySocketPair(this, index, port, rtp!, rtcp!);
                }

                rtp?.Dispose();
            }

            return null;
        }
    }

    internal void Return(int index)
    {
        lock (_gate)
        {
            _used[index] = false;
        }
    }

    private bool TryBind(int port, out Socket? socket)
    {
        socket = new Socket(_address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(_address, port));
            return true;
        }
        catch (SocketException)
        {
            socket.Dispose();
            socket = null;
            return false;
        }
    }
}
