using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// Accepts TLS connections (1.2 or 1.3 only) that must present a handset's certificate or, when <paramref name="peers"/> is
/// given, a known peer's (a carrier pinned per carrier or trunk, or a node through the node hook); a refused handshake is
/// audited with its reason, which the peer never learns. Handshakes have a deadline and a cap per source address;
/// connections have a cap per device (and per peer).
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
    ILogger logger,
    PeerAuthenticator? peers = null,
    Func<PeerDirectory>? peerDirectory = null)
{
    /// <summary>Connections one carrier or node may hold at once (an SBC may open a few; a flood of them is refused).</summary>
    public const int MaxConnectionsPerPeer = 64;

    private readonly ConcurrentDictionary<IPAddress, int> _handshaking = new();

    // Addresses refused since they last fell below the cap: a flood is audited once, not once per connection, so it
    // cannot push other events out of the bounded audit queue.
    private readonly ConcurrentDictionary<IPAddress, bool> _refusing = new();

    /// <summary>TLS handshakes now in progress from <paramref name="address"/>.</summary>
    public int HandshakesInProgress(IPAddress address) => _handshaking.TryGetValue(address, out var count) ? count : 0;

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
        if (!EnterHandshake(remote.Address))
        {
            if (_refusing.TryAdd(remote.Address, true))
            {
                SwitchLog.HandshakeLimit(logger, remote, limits.MaxHandshakesPerAddress);
                audit.Denied("sip.tls.handshake", $"more than {limits.MaxHandshakesPerAddress} TLS handshakes in progress from this address", null,
                    remote.ToString(), null, remote.Address);
            }

            await stream.DisposeAsync();
            return;
        }

        ConnectionIdentity? identity;
        PeerConnectionIdentity? peer;
        SslStream ssl;
        try
        {
            (ssl, identity, peer) = await HandshakeAsync(stream, remote, cancellationToken);
        }
        finally
        {
            LeaveHandshake(remote.Address);
        }

        if (peer is not null)
        {
            await ServePeerAsync(ssl, remote, peer, cancellationToken);
            return;
        }

        if (identity is null)
        {
            return;
        }

        var connection = new SipConnection(
            connections.NextId(), ssl, remote, identity, ssl.SslProtocol, ssl.NegotiatedCipherSuite.ToString(), handler, time, limits, logger);
        var device = identity.Current;
        if (!connections.TryAdd(connection, limits.MaxConnectionsPerDevice))
        {
            SwitchLog.DeviceConnectionLimit(logger, remote, device.Mac, limits.MaxConnectionsPerDevice);
            audit.Denied("sip.tls.connection", $"device already holds {limits.MaxConnectionsPerDevice} connections", device.TenantId, device.Mac,
                device.DeviceId.ToString(), remote.Address, "device", device.DeviceId.ToString());
            await connection.DisposeAsync();
            return;
        }

        SwitchLog.ConnectionAccepted(logger, connection.Id, remote, device.Mac, connection.TlsVersion, connection.TlsCipher);
        await RunAsync(connection, cancellationToken);
    }

    private async Task ServePeerAsync(SslStream ssl, IPEndPoint remote, PeerConnectionIdentity peer, CancellationToken cancellationToken)
    {
        var connection = new SipConnection(
            connections.NextId(), ssl, remote, peer, ssl.SslProtocol, ssl.NegotiatedCipherSuite.ToString(), handler, time, limits, logger);
        var identity = peer.Current;
        if (!connections.TryAdd(connection, MaxConnectionsPerPeer))
        {
            audit.Denied("sip.tls.connection", $"{identity.Name} already holds {MaxConnectionsPerPeer} connections", identity.TenantId, identity.Name,
                identity.PeerId.ToString(), remote.Address, identity.Kind == PeerKind.Node ? "node" : "trunk", identity.PeerId.ToString());
            await connection.DisposeAsync();
            return;
        }

        SwitchLog.PeerAccepted(logger, connection.Id, remote, identity.Kind, identity.Name, connection.TlsVersion, connection.TlsCipher);
        await RunAsync(connection, cancellationToken);
    }

    private async Task RunAsync(SipConnection connection, CancellationToken cancellationToken)
    {
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

    private async Task<(SslStream Ssl, ConnectionIdentity? Identity, PeerConnectionIdentity? Peer)> HandshakeAsync(
        Stream stream, IPEndPoint remote, CancellationToken cancellationToken)
    {
        DeviceAuthentication? outcome = null;
        PeerAuthentication? peerOutcome = null;
        PeerDirectory? peersAgainst = null;
        X509Certificate2? leaf = null;
        X509Certificate2[] presented = [];
        DeviceDirectory? checkedAgainst = null;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverCertificate,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = TlsChainPolicy.ForRemoteCertificate(),
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                // Copies for the checks below (the connection keeps their bytes to prove itself again on a directory change).
                leaf = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                presented = [.. (chain?.ChainPolicy.ExtraStore ?? []).Select(c => X509CertificateLoader.LoadCertificate(c.RawData))];
                checkedAgainst = directory();
                outcome = authenticator.Authenticate(leaf, presented, checkedAgainst);
                if (outcome.Succeeded || peers is null || leaf is null || outcome.Mac is not null)
                {
                    return outcome.Succeeded;
                }

                // Not a handset (no MAC of ours in it): perhaps a carrier or a node.
                peersAgainst = peerDirectory?.Invoke() ?? PeerDirectory.Empty;
                peerOutcome = peers.Authenticate(leaf, presented, peersAgainst);
                return peerOutcome.Succeeded;
            },
        };

        using var deadline = new CancellationTokenSource(limits.HandshakeTimeout, time);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, handshake.Token);
            if (outcome is null && peerOutcome is null)
            {
                // RFC 8446 section 2.2: a resumed session carries no certificate. The runtime re-runs the check above on
                // one (from the certificate it kept with the session); should a runtime ever skip it, the session is
                // refused rather than let in unchecked.
                outcome = DeviceAuthentication.Refused("TLS session resumed without the certificate being checked again");
                throw new AuthenticationException(outcome.Refusal);
            }

            if (peerOutcome is { Identity: { } peer })
            {
                return (ssl, null, new PeerConnectionIdentity(leaf!, peer, peersAgainst, peers!, time));
            }

            return (ssl, new ConnectionIdentity(leaf!, presented, outcome!.Identity!, checkedAgainst!, authenticator, time), null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            var reason = (peerOutcome?.Refusal is { } notPeer ? $"{outcome?.Refusal}; not a carrier or node either: {notPeer}" : outcome?.Refusal)
                ?? (deadline.IsCancellationRequested ? $"handshake not finished within {limits.HandshakeTimeout.TotalSeconds:0} s" : $"handshake failed: {ex.GetType().Name}");
            SwitchLog.HandshakeRefused(logger, remote, reason);
            audit.Denied("sip.tls.handshake", reason, null, outcome?.Mac ?? remote.ToString(), outcome?.Mac, remote.Address, "device", outcome?.Mac);
            await ssl.DisposeAsync();
            return (ssl, null, null);
        }
        finally
        {
            // An identity keeps what it needs of the certificates (their bytes, their expiry), not these parsed copies.
            leaf?.Dispose();
            foreach (var certificate in presented)
            {
                certificate.Dispose();
            }
        }
    }

    private bool EnterHandshake(IPAddress address)
    {
        var count = _handshaking.AddOrUpdate(address, 1, static (_, n) => n + 1);
        if (count <= limits.MaxHandshakesPerAddress)
        {
            return true;
        }

        LeaveHandshake(address);
        return false;
    }

    private void LeaveHandshake(IPAddress address)
    {
        var count = _handshaking.AddOrUpdate(address, 0, static (_, n) => n - 1);
        if (count < limits.MaxHandshakesPerAddress)
        {
            _refusing.TryRemove(address, out _);
        }

        if (count <= 0)
        {
            _handshaking.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
        }
    }
}
