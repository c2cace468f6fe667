using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Transport.Resolution;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// Opens SIP over TLS (1.2 or 1.3) to a peer, presenting the switch's own certificate as client certificate (mutual TLS
/// where the carrier asks for it) and verifying the peer's by <see cref="PeerAuthenticator.VerifyServer"/>. A connection
/// once open is reused for the same peer while it lives (RFC 5923 §3: one flow per peer), and runs like an accepted one:
/// its messages go to <paramref name="handler"/> (the identity gate), and it leaves the table when it closes.
/// </summary>
internal sealed class PeerConnector(
    SslStreamCertificateContext ownCertificate,
    PeerAuthenticator authenticator,
    ConnectionTable connections,
    ISipConnectionHandler handler,
    TimeProvider time,
    SipConnectionLimits limits,
    ILogger logger,
    CancellationToken stopping)
{
    private readonly ConcurrentDictionary<(PeerKind, Guid), SipConnection> _open = new();

    /// <summary>Finds a carrier's or node's servers (RFC 3263); the system's name servers unless the switch names one.</summary>
    public SipServerLocator Locator { get; init; } = SipServerLocator.Create(null);

    /// <summary>The open connection to <paramref name="target"/>'s peer, or a new one.</summary>
    public async Task<PeerConnectOutcome> GetOrConnectAsync(PeerTarget target, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue((target.Kind, target.PeerId), out var open) && !open.IsClosed)
        {
            return new PeerConnectOutcome(open, null);
        }

        return await ConnectAsync(target, cancellationToken);
    }

    /// <summary>A new connection to <paramref name="target"/>, tried on each of its located addresses in turn (RFC 3263 §4.3).</summary>
    public async Task<PeerConnectOutcome> ConnectAsync(PeerTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        // RFC 3263 §4: a name by NAPTR, SRV, then A/AAAA (an IP literal as is), for a carrier as for a node (both SIP over
        // TLS); the certificate is still checked against the configured name, never the SRV target's (RFC 5922 §4).
        var location = await Locator.LocateAsync(target.Host, target.Port, TrunkTransport.Tls, cancellationToken);
        if (!location.Found)
        {
            return Failed(target, location.Failure) with { Unresolved = true };
        }

        string failure = $"host '{target.Host}' has no address";
        foreach (var address in location.Targets)
        {
            // RFC 3263 §4.3: the next address when a connection cannot be made.
            var outcome = await ConnectAsync(target, address, cancellationToken);
            if (outcome.Succeeded)
            {
                return outcome;
            }

            failure = outcome.Failure;
        }

        return new PeerConnectOutcome(null, failure);
    }

    private async Task<PeerConnectOutcome> ConnectAsync(PeerTarget target, IPEndPoint remote, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(limits.HandshakeTimeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(remote, attempt.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            var reason = ex is SocketException s ? $"connect to {remote} failed: {s.SocketErrorCode}" : $"connect to {remote} not done within {limits.HandshakeTimeout.TotalSeconds:0} s";
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return Failed(target, reason);
        }

        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        return await HandshakeAsync(target, new NetworkStream(socket, ownsSocket: true), remote, attempt.Token, deadline.Token);
    }

    /// <summary>The TLS client handshake over <paramref name="stream"/> (a socket's, or an in-memory one in tests).</summary>
    public async Task<PeerConnectOutcome> HandshakeAsync(
        PeerTarget target, Stream stream, IPEndPoint remote, CancellationToken cancellationToken, CancellationToken deadline = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        X509Certificate2? leaf = null;
        X509Certificate2[] presented = [];
        string? refusal = null;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            // RFC 5922 §7.3 and RFC 6066 §3: the name the trunk expects, sent as SNI when it is a DNS name.
            TargetHost = target.CertificateName,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateContext = ownCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = TlsChainPolicy.ForRemoteCertificate(),
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                leaf = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                presented = [.. (chain?.ChainPolicy.ExtraStore ?? []).Select(c => X509CertificateLoader.LoadCertificate(c.RawData))];
                refusal = leaf is null ? "the peer presented no certificate"
                    : target.Kind == PeerKind.Node ? authenticator.VerifyNode(leaf, presented, target.Name)
                    : target.VerifyCertificate ? authenticator.VerifyServer(leaf, presented, target.CertificateName, target.PinnedFingerprint)
                    : null;
                return refusal is null;
            },
        };

        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            leaf?.Dispose();
            foreach (var certificate in presented)
            {
                certificate.Dispose();
            }

            await ssl.DisposeAsync();
            if (ex is OperationCanceledException && !deadline.IsCancellationRequested)
            {
                throw;
            }

            return Failed(target, refusal
                ?? (deadline.IsCancellationRequested ? $"TLS handshake with {remote} not done within {limits.HandshakeTimeout.TotalSeconds:0} s" : $"TLS handshake with {remote} failed: {ex.Message}"));
        }

        var identity = new PeerIdentity(
            target.Kind, target.Name, target.PeerId, target.TenantId, leaf!.Subject, CertificateIdentity.Sha256Fingerprint(leaf), target.VerifyCertificate,
            target.Kind == PeerKind.Node ? NodeRecognizer.VerifiedBy
            : target.VerifyCertificate ? $"{authenticator.Trust.Name}, as {target.CertificateName}" : "not verified: the trunk is set not to verify its carrier");
        var connection = new SipConnection(
            connections.NextId(), ssl, remote, new PeerConnectionIdentity(leaf, identity, null, authenticator, time),
            ssl.SslProtocol, ssl.NegotiatedCipherSuite.ToString(), handler, time, limits, logger);
        // The identity keeps the certificate's expiry, not these parsed copies.
        leaf.Dispose();
        foreach (var certificate in presented)
        {
            certificate.Dispose();
        }

        if (!connections.TryAdd(connection, TlsListener.MaxConnectionsPerPeer))
        {
            await connection.DisposeAsync();
            return Failed(target, $"{target.Name} already holds {TlsListener.MaxConnectionsPerPeer} connections");
        }

        _open[(target.Kind, target.PeerId)] = connection;
        SwitchLog.PeerConnected(logger, connection.Id, remote, target.Kind, target.Name, connection.TlsVersion, connection.TlsCipher, target.VerifyCertificate);
        _ = Task.Run(() => RunAsync(connection, target), CancellationToken.None);
        return new PeerConnectOutcome(connection, null);
    }

    private async Task RunAsync(SipConnection connection, PeerTarget target)
    {
        try
        {
            await connection.RunAsync(stopping);
        }
        finally
        {
            _open.TryRemove(new KeyValuePair<(PeerKind, Guid), SipConnection>((target.Kind, target.PeerId), connection));
            connections.Remove(connection);
            await connection.DisposeAsync();
        }
    }

    private PeerConnectOutcome Failed(PeerTarget target, string reason)
    {
        SwitchLog.PeerConnectFailed(logger, target.Kind, target.Name, target.ToString(), reason);
        return new PeerConnectOutcome(null, reason);
    }
}
