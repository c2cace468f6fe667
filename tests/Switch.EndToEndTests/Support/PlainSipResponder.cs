using System.Net;
using System.Net.Sockets;
using System.Text;
using HostedPbx.Testing;

namespace HostedPbx.Switch.EndToEndTests.Support;

/// <summary>
/// A plain-UDP SIP responder on loopback that answers every request 200 OK: the control that shows a scanner run does
/// find a SIP device when there is one, so finding none on the switch means something.
/// </summary>
internal sealed class PlainSipResponder : IDisposable
{
    private readonly UdpClient _socket;
    private readonly CancellationTokenSource _stop = new();

    public PlainSipResponder()
    {
        Port = PartProcess.FreePort();
        _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, Port));
        _ = Task.Run(AnswerAsync);
    }

    public int Port { get; }

    private async Task AnswerAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await _socket.ReceiveAsync(_stop.Token);
                var echoed = Encoding.UTF8.GetString(request.Buffer).Split("\r\n")
                    .Where(line => line.Split(':')[0].Trim().ToUpperInvariant() is "VIA" or "FROM" or "TO" or "CALL-ID" or "CSEQ");
                var response = "SIP/2.0 200 OK\r\n" + string.Join("\r\n", echoed) + "\r\nServer: control-responder\r\nContent-Length: 0\r\n\r\n";
                await _socket.SendAsync(Encoding.UTF8.GetBytes(response), request.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }
}
