using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HostedPbx.Switch.Tests.Pstn;

/// <summary>
/// A legacy carrier's end of one plain TCP connection on loopback: writes SIP text and reads whole messages (none of the
/// tests' messages has a body, so a message ends at its blank line), or null once the switch closed the connection.
/// </summary>
internal sealed class PlainTcpCarrier(Socket socket) : IDisposable
{
    private readonly StringBuilder _pending = new();

    /// <summary>A connection from <paramref name="from"/> (a loopback address of its own) to the switch at <paramref name="to"/>.</summary>
    public static async Task<PlainTcpCarrier> ConnectAsync(IPAddress from, IPEndPoint to, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(to, cancellationToken);
        return new PlainTcpCarrier(socket);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)socket.LocalEndPoint!;

    public async Task SendAsync(string message, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(message), SocketFlags.None, cancellationToken);

    /// <summary>The next message, or null when the connection was closed (a FIN or a reset) before one came.</summary>
    public async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 4);
                return text[..(end + 4)];
            }

            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    public void Dispose() => socket.Dispose();

    public static string Options(string callId, string sentBy) =>
        $"OPTIONS sip:switch@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP {sentBy};branch=z9hG4bK{callId}\r\nFrom: <sip:carrier@127.0.0.2>;tag=1\r\n"
        + $"To: <sip:switch@127.0.0.1>\r\nCall-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
}
