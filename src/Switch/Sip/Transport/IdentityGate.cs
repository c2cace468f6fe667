using HostedPbx.Switch.Devices;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Syntax;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// Identity for the life of a connection (DESIGN "Identity of a handset" step 7): every message is let through only while
/// its connection's device still holds against the current directory, and each new directory closes the connections it
/// invalidates. A refused request gets a bare 403 and the connection closes; the audit names the reason, the peer never.
/// <paramref name="onStillValid"/> hears of each connection that survives a new directory, with its device's current
/// lines (the registrar drops bindings of lines that were unbound). A peer connection (carrier or node) is held to its
/// peer's identity the same way, against <paramref name="peers"/>.
/// </summary>
internal sealed class IdentityGate(
    ISipConnectionHandler inner,
    ConnectionTable connections,
    Func<DeviceDirectory> directory,
    SwitchAudit audit,
    ILogger logger,
    Action<SipConnection, DeviceIdentity>? onStillValid = null,
    Func<PeerDirectory>? peers = null) : ISipConnectionHandler
{
    public void OnMessage(SipConnection connection, SipMessage message)
    {
        if (Check(connection) is not { } refusal)
        {
            inner.OnMessage(connection, message);
            return;
        }

        using (message)
        {
            if (message is SipRequest { Method: not SipMethod.Ack } request && request.CanBeAnswered)
            {
                // DESIGN step 6: the refusal says nothing of which check failed.
                using var forbidden = SipResponses.Create(request, SipStatusCodes.Forbidden, Guid.NewGuid().ToString("N")[..12]);
                connection.Send(forbidden);
            }
        }

        Refuse(connection, refusal);
        connection.CloseAfterSending();
    }

    public void OnClosed(SipConnection connection) => inner.OnClosed(connection);

    /// <summary>
    /// Re-checks every open connection against <paramref name="current"/> (called when the directory is swapped) and closes
    /// those that fail; their close removes their bindings and ends their calls with BYE.
    /// </summary>
    public void OnDirectoryChanged(DeviceDirectory current)
    {
        foreach (var connection in connections.All)
        {
            if (connection.IsClosed || connection.Identity is null)
            {
                continue;
            }

            if (connection.Identity.Check(current) is { } refusal)
            {
                Refuse(connection, refusal);
                connection.Close();
                continue;
            }

            onStillValid?.Invoke(connection, connection.Device);
        }
    }

    /// <summary>Re-checks every open peer connection against <paramref name="current"/> and closes those that fail.</summary>
    public void OnPeersChanged(PeerDirectory current)
    {
        foreach (var connection in connections.All)
        {
            if (!connection.IsClosed && connection.Peer?.Check(current) is { } refusal)
            {
                Refuse(connection, refusal);
                connection.Close();
            }
        }
    }

    private string? Check(SipConnection connection) => connection.Peer is { } peer
        ? peer.Check(peers?.Invoke() ?? PeerDirectory.Empty)
        : connection.Identity!.Check(directory());

    private void Refuse(SipConnection connection, string reason)
    {
        if (connection.Peer?.Current is { } peer)
        {
            SwitchLog.PeerRefused(logger, connection.Id, peer.Kind, peer.Name, reason);
            audit.Denied("sip.connection", reason, peer.TenantId, peer.Name, peer.PeerId.ToString(), connection.Remote.Address,
                peer.Kind == PeerKind.Node ? "node" : "trunk", peer.PeerId.ToString());
            return;
        }

        var device = connection.Device;
        SwitchLog.IdentityRefused(logger, connection.Id, device.Mac, reason);
        audit.Denied("sip.connection", reason, device.TenantId, device.Mac, device.DeviceId.ToString(), connection.Remote.Address, "device", device.DeviceId.ToString());
    }
}
