using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HostedPbx.Switch.EndToEndTests.Pstn;

/// <summary>
/// One SIP request over mutual TLS to the switch or the carrier, as a carrier (or a stranger) would send it: the test's
/// probe of who admits whom. The answer's first line, or null when the handshake was refused or the connection closed.
/// </summary>
internal static class SipOverTls
{
    /// <summary>An OPTIONS to <paramref name="port"/> (a carrier's keep-alive; RFC 3261 §11).</summary>
    public static string Options(int port) =>
        $"OPTIONS sip:127.0.0.1:{port};transport=tls SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n"
        + $"From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1:{port}>\r\nCall-ID: {Guid.NewGuid():N}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    /// <summary>
    /// Sends <paramref name="request"/> presenting <paramref name="client"/> (always offered, even to a server that names
    /// CAs it is not from) and accepting only a server certificate issued by <paramref name="serverCa"/>.
    /// </summary>
    public static async Task<string?> ExchangeAsync(
        int port, X509Certificate2? client, X509Certificate2 serverCa, string serverName, string request, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented is not null && presented.Issuer == serverCa.Subject);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                LocalCertificateSelectionCallback = client is null ? null : (_, _, _, _, _) => client,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, limit.Token);
            await tls.WriteAsync(Encoding.ASCII.GetBytes(request), limit.Token);
            await tls.FlushAsync(limit.Token);
            // TLS 1.3 finishes the client's handshake before the server has checked the client's certificate: its
            // refusal arrives as an alert on the first read.
            var buffer = new byte[4096];
            var read = await tls.ReadAsync(buffer, limit.Token);
            return read == 0 ? null : Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
