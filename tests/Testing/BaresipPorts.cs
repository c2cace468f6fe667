using System.Net;
using System.Net.Sockets;

namespace HostedPbx.Testing;

/// <summary>Loopback ports for a baresip a test starts (shared/peers/README.md: TLS listens on sip_listen's port + 1).</summary>
public static class BaresipPorts
{
    /// <summary>
    /// A port for sip_listen: baresip takes it for UDP and TCP and the next one for TLS, so all of them must be free (a
    /// free TCP port whose UDP twin or neighbour was taken made baresip exit with "Address already in use", errno 98,
    /// under load).
    /// </summary>
    public static int SipListen()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = PartProcess.FreePort();
            if (port < 65535 && IsFree(port) && IsFree(port + 1))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no two neighbouring free loopback ports for baresip");

        static bool IsFree(int port)
        {
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
