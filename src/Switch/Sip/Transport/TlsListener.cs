using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// Accepts TLS connections (1.2 or 1.3 only) that must present a handset's certificate; a refused handshake is audited with
/// its reason, which the peer never learns.
/// </summary>
internal sealed class TlsListener(
    SslStreamCertificateContext serverCertificate,
    Func<DeviceDirectory> directory,
    DeviceAuthenticator authenticator,
    ConnectionTable connections,
    ISipConnectionHandler handler,
    SwitchAudit audit,
    TimeProvider time,
    SipConnectionLimits limits,
    ILogger logger)
{
    public async Task RunAsync(Socket listening, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var socket = await listening.AcceptAsync(cancellationToken);
            _ = Task.Run(() => ServeAsync(socket, cancellationToken), cancellationToken);
        }
    }

    public async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        await ServeAsync(new NetworkStream(socket, ownsSocket: true), remote, cancellationToken);
    }

    public async Task ServeAsync(Stream stream, IPEndPoint remote, CancellationToken cancellationToken)
    {
        DeviceAuthentication? outcome = null;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverCertificate,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                using var leaf = certificate is null ? null : new X509Certificate2(certificate);
                outcome = authenticator.Authenticate(leaf, chain?.ChainPolicy.ExtraStore, directory());
                return outcome.Succeeded;
            },
        };

        using (var deadline = new CancellationTokenSource(limits.HandshakeTimeout, time))
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            try
            {
                await ssl.AuthenticateAsServerAsync(options, handshake.Token);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                var reason = outcome?.Refusal ?? $"handshake failed: {ex.GetType().Name}";
                SwitchLog.HandshakeRefused(logger, remote, reason);
                audit.Denied("sip.tls.handshake", reason, null, outcome?.Mac ?? remote.ToString(), outcome?.Mac, remote.Address, "device", outcome?.Mac);
                await ssl.DisposeAsync();
                return;
            }
        }

        var identity = outcome!.Identity!;
        var connection = new SipConnection(
            connections.NextId(), ssl, remote, identity, ssl.SslProtocol, ssl.NegotiatedCipherSuite.ToString(), handler, time, limits, logger);
        connections.Add(connection);
        SwitchLog.ConnectionAccepted(logger, connection.Id, remote, identity.Mac, connection.TlsVersion, connection.TlsCipher);
        try
        {
            await connection.RunAsync(cancellationToken);
        }
        finally
        {
            connections.Remove(connection);
            await connection.DisposeAsync();
        }
    }
}
