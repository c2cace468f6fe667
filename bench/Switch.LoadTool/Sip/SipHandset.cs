using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HostedPbx.Switch.LoadTool.Setup;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;

namespace HostedPbx.Switch.LoadTool.Sip;

/// <summary>
/// One handset of the load: its own TCP connection with mutual TLS presenting its own certificate, a read loop that
/// frames with the switch's <see cref="SipParser"/>, and just enough of a user agent to register, call, answer and hang up.
/// Requests the switch sends (INVITE, ACK, BYE, CANCEL) arrive over this same connection (RFC 5923).
/// </summary>
internal sealed partial class SipHandset : IAsyncDisposable
{
    // HOSTEDPBX_LOAD_SIP_TRACE=1 prints every SIP message the handsets send and receive.
    private static readonly bool s_trace = Environment.GetEnvironmentVariable("HOSTEDPBX_LOAD_SIP_TRACE") == "1";
    private readonly TcpClient _tcp = new(AddressFamily.InterNetwork);
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SipReply>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private SslStream? _tls;
    private Task? _reading;
    private uint _cseq;

    /// <param name="identity">Its extension, device and certificate.</param>
    /// <param name="server">The switch's SIP over TLS address.</param>
    /// <param name="source">The loopback address to connect from (each handset its own, as real ones have); the kernel's choice when null.</param>
    public SipHandset(LoadHandset identity, IPEndPoint server, IPAddress? source = null)
    {
        Identity = identity;
        Server = server;
        if (source is not null)
        {
            _tcp.Client.Bind(new IPEndPoint(source, 0));
        }
    }

    public LoadHandset Identity { get; }

    public IPEndPoint Server { get; }

    public string SentBy { get; private set; } = "";

    public string Contact => $"<sip:{Identity.Number}@{SentBy};transport=tls>";

    public string Aor => $"sip:{Identity.Number}@{Server.Address}";

    /// <summary>Answers an INVITE from the switch: returns the SDP answer for a 200, or null for a 488.</summary>
    public Func<SipHandset, SipRequest, byte[]?>? OnInvite { get; set; }

    /// <summary>Told when the switch ends a call toward this handset (BYE), with the Call-ID.</summary>
    public Action<string>? OnBye { get; set; }

    public int KeepAlivesAnswered { get; private set; }

    /// <summary>Connects and completes the TLS handshake; the server certificate must chain to <paramref name="serverRoot"/> unless it is null.</summary>
    public async Task ConnectAsync(X509Certificate2? serverRoot, CancellationToken cancellationToken)
    {
        await _tcp.ConnectAsync(Server, cancellationToken);
        _tls = new SslStream(_tcp.GetStream());
        await _tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = Server.Address.ToString(),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateContext = SslStreamCertificateContext.Create(Identity.Certificate.Certificate, [.. Identity.Certificate.Issuers], offline: true),
            RemoteCertificateValidationCallback = (_, certificate, _, _) => serverRoot is null || ChainsTo(certificate, serverRoot),
        }, cancellationToken);
        var local = (IPEndPoint)_tcp.Client.LocalEndPoint!;
        SentBy = $"{local.Address}:{local.Port}";
        _reading = Task.Run(() => ReadLoopAsync(_closing.Token), CancellationToken.None);
    }

    /// <summary>REGISTER over this connection (RFC 3261 §10.2); returns the final status.</summary>
    public async Task<int> RegisterAsync(int expires, CancellationToken cancellationToken)
    {
        var callId = $"{Guid.NewGuid():N}@{SentBy}";
        var reply = await SendRequestAsync(
            "REGISTER", $"sip:{Server.Address}:{Server.Port}", $"<{Aor}>;tag={NewTag()}", $"<{Aor}>", callId, null,
            $"{Contact};expires={expires}", cancellationToken: cancellationToken);
        return reply.StatusCode;
    }

    /// <summary>Sends a request and waits for its final response (provisional ones are skipped).</summary>
    public Task<SipReply> SendRequestAsync(
        string method, string requestUri, string from, string to, string callId, uint? cseq, string? contact,
        byte[]? body = null, CancellationToken cancellationToken = default)
    {
        var number = cseq ?? Interlocked.Increment(ref _cseq);
        var waiter = new TaskCompletionSource<SipReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[Key(callId, number)] = waiter;
        var bytes = SipText.Request(method, requestUri, SentBy, from, to, callId, number, contact, body, body is null ? null : "application/sdp");
        return SendAndWaitAsync(bytes, waiter, callId, number, cancellationToken);
    }

    /// <summary>Sends a message that gets no response (an ACK, a pong, a response of ours).</summary>
    public async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            if (s_trace)
            {
                Console.Error.WriteLine($">>> {Identity.Number}\n{Encoding.UTF8.GetString(bytes)}");
            }

            await _tls!.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public static string NewTag() => Guid.NewGuid().ToString("N")[..12];

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _tcp.Dispose();
        if (_reading is not null)
        {
            try
            {
                await _reading;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
            {
            }
        }

        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }

        _writing.Dispose();
        _closing.Dispose();
    }

    private async Task<SipReply> SendAndWaitAsync(byte[] bytes, TaskCompletionSource<SipReply> waiter, string callId, uint cseq, CancellationToken cancellationToken)
    {
        try
        {
            await SendRawAsync(bytes, cancellationToken);
            return await waiter.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(Key(callId, cseq), out _);
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        // Zero-byte reads: an idle connection holds no read buffer, which matters with thousands of them.
        var reader = PipeReader.Create(_tls!, new StreamPipeReaderOptions(leaveOpen: true, useZeroByteReads: true));
        var parser = new SipParser(SipFraming.Stream);
        var builder = new SipMessageBuilder();
        var messages = new List<SipMessage>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var pings = Frame(buffer, parser, builder, messages, out var consumed);
                reader.AdvanceTo(consumed, buffer.End);
                for (var i = 0; i < pings; i++)
                {
                    // RFC 5626 §4.4.1: a CRLFCRLF ping is answered with a single CRLF pong.
                    KeepAlivesAnswered++;
                    await SendRawAsync("\r\n"u8.ToArray(), cancellationToken);
                }

                foreach (var message in messages)
                {
                    using (message)
                    {
                        await OnMessageAsync(message, cancellationToken);
                    }
                }

                messages.Clear();
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
            foreach (var waiter in _pending.Values)
            {
                waiter.TrySetException(new IOException($"The connection of {Identity.Number} closed."));
            }
        }
    }

    /// <summary>Takes every complete message (and keep-alive ping) out of the buffer; returns the pings.</summary>
    private static int Frame(ReadOnlySequence<byte> buffer, SipParser parser, SipMessageBuilder builder, List<SipMessage> messages, out SequencePosition consumed)
    {
        var sequence = new SequenceReader<byte>(buffer);
        var pings = 0;
        while (true)
        {
            var before = builder.KeepAliveCount;
            if (parser.TryParse(ref sequence, builder, out _) != OperationStatus.Done)
            {
                break;
            }

            if (builder.KeepAliveCount != before)
            {
                pings++;
            }
            else if (builder.TakeMessage() is { } message)
            {
                messages.Add(message);
            }
        }

        consumed = sequence.Position;
        return pings;
    }

    private async Task OnMessageAsync(SipMessage message, CancellationToken cancellationToken)
    {
        if (s_trace)
        {
            var output = new ArrayBufferWriter<byte>();
            SipMessageWriter.Write(output, message);
            Console.Error.WriteLine($"<<< {Identity.Number}\n{Encoding.UTF8.GetString(output.WrittenSpan)}");
        }

        switch (message)
        {
            case SipResponse response when !response.IsProvisional && response.TryGetCSeq(out var cseq):
                if (_pending.TryGetValue(Key(response.CallId, cseq.Number), out var waiter))
                {
                    waiter.TrySetResult(new SipReply(response.StatusCode, response.ToTag, ContactOf(response), response.Body.ToArray()));
                }

                break;
            case SipRequest request:
                await OnRequestAsync(request, cancellationToken);
                break;
            default:
                break;
        }
    }

    private async Task OnRequestAsync(SipRequest request, CancellationToken cancellationToken)
    {
        switch (request.Method)
        {
            case SipMethod.Invite when request.ToTag.Length == 0:
                var answer = OnInvite?.Invoke(this, request);
                var tag = NewTag();
                if (answer is null)
                {
                    await SendRawAsync(SipText.Response(request, 488, "Not Acceptable Here", tag, null), cancellationToken);
                    break;
                }

                await SendRawAsync(SipText.Response(request, 180, "Ringing", tag, Contact), cancellationToken);
                await SendRawAsync(SipText.Response(request, 200, "OK", tag, Contact, answer), cancellationToken);
                break;
            case SipMethod.Ack:
                break;
            case SipMethod.Bye:
                await SendRawAsync(SipText.Response(request, 200, "OK", "", null), cancellationToken);
                OnBye?.Invoke(request.CallId);
                break;
            default:
                // A re-INVITE, CANCEL, OPTIONS…: the load keeps its sessions as they are.
                await SendRawAsync(SipText.Response(request, 200, "OK", NewTag(), Contact), cancellationToken);
                break;
        }
    }

    private static string? ContactOf(SipResponse response) =>
        response.TryGetHeader(KnownHeader.Contact, out var value) && NameAddress.TryParse(value, out var contact)
            ? Encoding.UTF8.GetString(contact.Uri)
            : null;

    private static string Key(string callId, uint cseq) => $"{cseq} {callId}";

    private static bool ChainsTo(X509Certificate? certificate, X509Certificate2 root)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
