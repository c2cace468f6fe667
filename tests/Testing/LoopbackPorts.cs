using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HostedPbx.Testing;

/// <summary>
/// Loopback ports for the processes tests start (the parts, baresip, dnsmasq, Kamailio, PostgreSQL…), free for TCP and
/// UDP when handed out. A port the kernel chose for a bind to port 0 and that was then freed could go to any outgoing
/// connection before the child process bound it, and the child exited with "Address already in use" (baresip and dnsmasq
/// did, in clean runs). So these come from the band above the kernel's ephemeral range (61000–65535 with Linux's
/// default), away from the media ranges the tests give the switch (10000–15999) and baresip (20000–31999). Only these
/// tests take ports from the band; each test process walks it from its own random start and comes back to a port only
/// after the whole band, so two processes reach the same port at the same moment only by a long chance.
/// </summary>
public static class LoopbackPorts
{
    private const int MinimumBand = 2_000;
    private static readonly Lock s_lock = new();
    private static readonly (int Low, int High) s_band = Band();
    private static int s_next = Random.Shared.Next(s_band.High - s_band.Low);

    /// <summary>The first of <paramref name="consecutive"/> neighbouring ports that are all free for TCP and UDP.</summary>
    public static int Free(int consecutive = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutive, 1);
        lock (s_lock)
        {
            var size = s_band.High - s_band.Low;
            for (var walked = 0; walked < size; walked += consecutive)
            {
                var port = s_band.Low + s_next;
                s_next = (s_next + consecutive) % size;
                if (port + consecutive <= s_band.High && Enumerable.Range(port, consecutive).All(IsFree))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no {consecutive} free neighbouring loopback ports in {s_band.Low}–{s_band.High - 1}");
    }

    private static bool IsFree(int port)
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

    /// <summary>[Low, High): above Linux's ip_local_port_range when there is room, else just below it.</summary>
    private static (int Low, int High) Band()
    {
        var (first, last) = (32768, 60999);
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(range))
        {
            var words = File.ReadAllText(range).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            (first, last) = (int.Parse(words[0], CultureInfo.InvariantCulture), int.Parse(words[1], CultureInfo.InvariantCulture));
        }

        return 65535 - last >= MinimumBand ? (last + 1, 65536) : (first - MinimumBand, first);
    }
}
