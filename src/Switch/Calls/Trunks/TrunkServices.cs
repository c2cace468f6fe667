using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Calls.Trunks.Keepalive;
using HostedPbx.Switch.Diagnostics;
using HostedPbx.Switch.Sip.Messages;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Tcp;
using HostedPbx.Switch.Sip.Transport.Udp;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// What every trunk leg shares: the PSTN directory (trunks, numbers), the connector to carriers (made once the identity
/// gate it hands messages to exists), the channel counts, the master key that decrypts a trunk's digest password when a
/// carrier challenges, the audit and the log.
/// </summary>
internal sealed class TrunkServices(
    Func<PstnDirectory> directory, Func<PeerConnector> connector, TrunkChannels channels, KeyProtector? keys, SwitchAudit audit, ILogger logger)
{
    public Func<PeerConnector> Connector => connector;

    public TrunkChannels Channels => channels;

    public KeyProtector? Keys => keys;

    public SwitchAudit Audit => audit;

    public ILogger Logger => logger;

    public PstnDirectory Directory => directory();

    /// <summary>The node's OPTIONS keep-alive (issue 11): trunks it finds down go last in a route's order.</summary>
    public TrunkKeepalive? Keepalive { get; init; }

    /// <summary>The UDP socket of named plain trunks (issue 11); null when the operator configured none.</summary>
    public PlainTrunkSocket? PlainTrunks { get; set; }

    /// <summary>The TCP listener and connections of named plain trunks, on the UDP socket's address; null without it.</summary>
    public PlainTcpTrunks? PlainTcpTrunks { get; set; }

    /// <summary>
    /// The flow to a trunk that is not TLS: only one the operator allowed plain transport for, over UDP at the address the
    /// socket bound it to, or over TCP on the one connection to its address (RFC 3261 §18.1.1); otherwise why not (for
    /// the audit; the caller hears only 503).
    /// </summary>
    public async Task<PeerConnectOutcome> PlainFlowAsync(PstnTrunk trunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        if (!trunk.PlainTransportAllowed)
        {
            return new(null, $"trunk {trunk.Name} is set to plain {trunk.Endpoint.Transport} but the operator has not allowed plain transport for it");
        }

        if (trunk.Endpoint.Transport == TrunkTransport.Tcp)
        {
            if (PlainTcpTrunks is not { } tcp)
            {
                return new(null, $"trunk {trunk.Name} is plain TCP but this switch has no listener for plain trunks (Switch:PlainTrunkListen)");
            }

            var connected = await tcp.GetOrConnectAsync(trunk.Target.PeerId, cancellationToken);
            return connected.Succeeded ? connected : new(null, $"trunk {trunk.Name}: {connected.Failure}");
        }

        if (trunk.Endpoint.Transport != TrunkTransport.Udp)
        {
            return new(null, $"trunk {trunk.Name}: plain {trunk.Endpoint.Transport} is not supported by this switch (UDP, TCP or TLS)");
        }

        if (PlainTrunks is not { } socket)
        {
            return new(null, $"trunk {trunk.Name} is plain UDP but this switch has no socket for plain trunks (Switch:PlainTrunkListen)");
        }

        return socket.FlowOf(trunk.Target.PeerId) is { } flow
            ? new(flow, null)
            : new(null, $"trunk {trunk.Name}: its host {trunk.Endpoint.Host} is not an address the plain-trunk socket could bind");
    }

    /// <summary>
    /// The leg that carries a call <paramref name="admission"/> routed, over the route's trunks in order, presenting a
    /// number the tenant owns; or the status and reason the caller gets when there is none.
    /// </summary>
    public (TrunkLeg? Leg, int Status, string Reason) CreateLeg(PstnAdmission admission, Guid tenantId, Guid? callerExtensionId, LegSignalling sip)
    {
        ArgumentNullException.ThrowIfNull(admission);
        var current = directory();
        var trunks = current.TrunksOf(tenantId, admission.Route!);
        trunks = Keepalive?.Order(trunks) ?? trunks;
        if (trunks.Count == 0)
        {
            return (null, SipStatusCodes.ServiceUnavailable, "No trunk available");
        }

        // A tenant presents only numbers it owns; an emergency call goes out even from a tenant that owns none.
        // A route's own caller ID goes first, while the tenant still owns that number (RouteChanges checked it when set).
        var callerId = admission.Route!.CallerId is { } routeCallerId && current.TryFindNumber(routeCallerId, out var owned) && owned.TenantId == tenantId
            ? routeCallerId
            : current.CallerIdOf(tenantId, callerExtensionId);
        var emergency = admission.Destination!.Kind == HostedPbx.Data.Pstn.DialledKind.Emergency;
        if (callerId is null && !emergency)
        {
            return (null, SipStatusCodes.Forbidden, "No number to present as caller ID");
        }

        return (new TrunkLeg(admission.Destination.Number, callerId ?? "anonymous", trunks, this, sip, emergency), 0, "");
    }
}
