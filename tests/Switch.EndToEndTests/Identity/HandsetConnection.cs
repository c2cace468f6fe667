using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.EndToEndTests.Support;

namespace HostedPbx.Switch.EndToEndTests.Identity;

/// <summary>A handset's mutual-TLS connection to the running switch, speaking SIP as text; what a softphone does, minus media.</summary>
internal sealed class HandsetConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly MemoryStream _received = new();
    private int _cseq;

    private HandsetConnection(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    public static async Task<HandsetConnection> OpenAsync(SwitchUnderTest sut, IssuedCertificate device, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", sut.SipPort, cancellationToken);
        var tls = new SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented is not null && presented.Issuer == sut.Root.Certificate.Subject);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificateContext = SslStreamCertificateContext.Create(device.Certificate, [.. device.Issuers], offline: true),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }, cancellationToken);
        return new HandsetConnection(tcp, tls);
    }

    /// <summary>Sends a REGISTER for <paramref name="extension"/> and returns the status code of the answer, or null if the connection closed.</summary>
    public async Task<int?> RegisterAsync(string extension, int port, CancellationToken cancellationToken)
    {
        var cseq = ++_cseq;
        await SendAsync(
            $"REGISTER sip:127.0.0.1:{port} SIP/2.0\r\n"
            + $"Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK{Guid.NewGuid():N};rport\r\n"
            + "Max-Forwards: 70\r\n"
            + $"To: <sip:{extension}@127.0.0.1>\r\n"
            + $"From: <sip:{extension}@127.0.0.1>;tag=r{cseq}\r\n"
            + $"Call-ID: reg-{extension}-{Guid.NewGuid():N}\r\n"
            + $"CSeq: {cseq} REGISTER\r\n"
            + $"Contact: <sip:{extension}@127.0.0.1:5999;transport=tls>\r\n"
            + "Expires: 600\r\n"
            + "Content-Length: 0\r\n\r\n", cancellationToken);
        return StatusOf(await ReadMessageAsync(cancellationToken));
    }

    /// <summary>Sends an INVITE (no offer: what is checked first needs none) and returns the first final status, or null if closed.</summary>
    public async Task<int?> InviteAsync(string from, string to, int port, CancellationToken cancellationToken) =>
        StatusOf(await InviteAsync(from, to, port, [], cancellationToken));

    /// <summary>Sends an INVITE with <paramref name="offer"/> as its body and returns the first final response as received, or null if closed.</summary>
    public async Task<string?> InviteAsync(string from, string to, int port, byte[] offer, CancellationToken cancellationToken)
    {
        var cseq = ++_cseq;
        var head = $"INVITE sip:{to}@127.0.0.1:{port} SIP/2.0\r\n"
            + $"Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK{Guid.NewGuid():N};rport\r\n"
            + "Max-Forwards: 70\r\n"
            + $"To: <sip:{to}@127.0.0.1>\r\n"
            + $"From: <sip:{from}@127.0.0.1>;tag=i{cseq}\r\n"
            + $"Call-ID: inv-{Guid.NewGuid():N}\r\n"
            + $"CSeq: {cseq} INVITE\r\n"
            + $"Contact: <sip:{from}@127.0.0.1:5999;transport=tls>\r\n"
            + (offer.Length > 0 ? "Content-Type: application/sdp\r\n" : "")
            + $"Content-Length: {offer.Length}\r\n\r\n";
        await SendAsync([.. Encoding.ASCII.GetBytes(head), .. offer], cancellationToken);
        while (true)
        {
            var response = await ReadMessageAsync(cancellationToken);
            if (StatusOf(response) is null or >= 200)
            {
                return response;
            }
        }
    }

    /// <summary>Sends the first half of a request's header, and never the rest (a slowloris).</summary>
    public Task SendHalfAHeaderAsync(CancellationToken cancellationToken) =>
        SendAsync("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKslow\r\nMax-Forwards: 70\r\nTo: <sip:127.0.0.1>\r\n", cancellationToken);

    /// <summary>True when a CRLFCRLF ping (RFC 5626 §4.4.1) is still answered with a pong.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await SendAsync("\r\n\r\n", cancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            while (_received.Length < 2)
            {
                if (!await FillAsync(bound.Token))
                {
                    return false;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return Take(2) == "\r\n";
    }

    /// <summary>How long until the switch closes this connection, or null if it is still open after <paramref name="limit"/>.</summary>
    public async Task<TimeSpan?> WaitUntilClosedAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        try
        {
            while (await FillAsync(bound.Token))
            {
            }

            return TimeProvider.System.GetElapsedTime(started);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private Task SendAsync(string text, CancellationToken cancellationToken) => SendAsync(Encoding.ASCII.GetBytes(text), cancellationToken);

    private async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _tls.WriteAsync(bytes, cancellationToken);
            await _tls.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            // The switch closed the connection; the read that follows reports it.
        }
    }

    /// <summary>The next SIP message (framed by Content-Length), or null if the switch closed the connection first.</summary>
    private async Task<string?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = Encoding.Latin1.GetString(_received.GetBuffer(), 0, (int)_received.Length);
            var start = text.Length - text.TrimStart('\r', '\n').Length;
            var end = text.IndexOf("\r\n\r\n", start, StringComparison.Ordinal);
            if (end >= 0)
            {
                var head = text[start..end];
                var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    .Select(l => int.Parse(l[15..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
                if (text.Length >= end + 4 + length)
                {
                    Take(end + 4 + length);
                    return text[start..(end + 4 + length)];
                }
            }

            if (!await FillAsync(bound.Token))
            {
                return null;
            }
        }
    }

    // False when the connection ended.
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        int read;
        try
        {
            read = await _tls.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException)
        {
            return false;
        }

        _received.Seek(0, SeekOrigin.End);
        _received.Write(buffer, 0, read);
        return read > 0;
    }

    private string Take(int count)
    {
        var all = _received.ToArray();
        var taken = Encoding.ASCII.GetString(all, 0, count);
        _received.SetLength(0);
        _received.Write(all, count, all.Length - count);
        return taken;
    }

    private static int? StatusOf(string? message) =>
        message is not null && message.StartsWith("SIP/2.0 ", StringComparison.Ordinal) ? int.Parse(message[8..11], CultureInfo.InvariantCulture) : null;

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
        await _received.DisposeAsync();
    }
}
