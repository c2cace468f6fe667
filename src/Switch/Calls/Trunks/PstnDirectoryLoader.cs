using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Resolution;
using HostedPbx.Switch.Sip.Transport.Udp;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// Reads a <see cref="PstnDirectory"/> as the switch's role (which may read every tenant's routes and guards). Plain
/// trunks' names are located by <paramref name="locator"/>, the same RFC 3263 resolution the connector dials TLS
/// carriers by (the system's name servers unless the switch names one).
/// </summary>
internal sealed class PstnDirectoryLoader(IDbContextFactory<PbxDbContext> contexts, TimeProvider? time = null, SipServerLocator? locator = null)
{
    private readonly SipServerLocator _locator = locator ?? SipServerLocator.Create(null);

    public async Task<PstnDirectory> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var settings = await db.PstnSettings.AsNoTracking().ToListAsync(cancellationToken);
        var routes = await db.OutboundRoutes.AsNoTracking().Where(r => r.Enabled).ToListAsync(cancellationToken);
        var carriers = await db.Carriers.AsNoTracking().Where(c => c.Enabled && c.Transport == TrunkTransport.Tls).ToListAsync(cancellationToken);
        var trunks = await db.Trunks.AsNoTracking().Include(t => t.Carrier).Where(t => t.Enabled).ToListAsync(cancellationToken);
        var ownTrunks = trunks.Where(t => t.CarrierId == null && t.Transport == TrunkTransport.Tls && t.Host != null).ToList();
        // The extension each number rings comes with it: inbound calls are routed by its number (issue 11).
        var numbers = await db.InboundNumbers.AsNoTracking().Include(n => n.DestinationExtension).ToListAsync(cancellationToken);
        var suspended = await db.Tenants.AsNoTracking().Where(t => t.Status != TenantStatus.Active).Select(t => t.Id).ToListAsync(cancellationToken);
        // The toll-fraud guard's minute limits: what ended calls used, read with each refresh (DirectoryRefreshSeconds).
        var minutes = await ExternalMinutes.OfEndedCallsAsync(db, (time ?? TimeProvider.System).GetUtcNow(), cancellationToken);
        // A carrier is known by the name its certificate must carry: the configured certificate name, else its host.
        var peers = new PeerDirectory([
            .. carriers.Select(c => new KnownPeer(PeerKind.Trunk, c.Name, c.Id, null, c.CertificateName ?? c.Host)),
            .. ownTrunks.Select(t => new KnownPeer(PeerKind.Trunk, t.Name, t.Id, t.TenantId, t.CertificateName ?? t.Host!)),
        ]);
        var dialled = trunks
            .Where(t => t.Carrier is null ? t.Host is not null : t.Carrier.Enabled)
            .Select(t =>
            {
                var endpoint = TrunkEndpoint.Of(t);
                var target = new PeerTarget(
                    PeerKind.Trunk, t.Carrier?.Name ?? t.Name, t.CarrierId ?? t.Id, t.CarrierId is null ? t.TenantId : null,
                    endpoint.Host, endpoint.Port, endpoint.CertificateName, endpoint.VerifyCertificate);
                return new PstnTrunk(
                    t.Id, t.TenantId, t.Name, endpoint, Math.Min(t.MaxChannels, t.Carrier?.MaxChannels ?? int.MaxValue), target, t.PlainTransportAllowed);
            });
        List<PstnTrunk> trunksDialled = [.. dialled];
        return new PstnDirectory(settings, routes, peers, trunksDialled, numbers, suspended, await PlainPeersAsync(trunksDialled, cancellationToken), minutes);
    }

    /// <summary>
    /// Issue 11: the trunks the operator allowed over plain UDP or TCP, bound to the first address RFC 3263 locates for their
    /// host over that transport (an IP literal as is; a name by NAPTR SIP+D2U or SIP+D2T, SRV <c>_sip._udp</c> or
    /// <c>_sip._tcp</c>, then A/AAAA); a carrier shared by
    /// tenants is one peer at one address. A host that does not resolve has no flow, and its calls are refused with why.
    /// </summary>
    private async Task<List<PlainPeer>> PlainPeersAsync(List<PstnTrunk> trunks, CancellationToken cancellationToken)
    {
        List<PlainPeer> plain = [];
        foreach (var trunk in trunks.Where(t => t.PlainTransportAllowed && t.Endpoint.Transport is TrunkTransport.Udp or TrunkTransport.Tcp).DistinctBy(t => t.Target.PeerId))
        {
            var location = await _locator.LocateAsync(trunk.Endpoint.Host, trunk.Endpoint.Port, trunk.Endpoint.Transport, cancellationToken);
            if (!location.Found)
            {
                continue;
            }

            var target = trunk.Target;
            var identity = new PeerIdentity(PeerKind.Trunk, target.Name, target.PeerId, target.TenantId, "", "", false, $"no certificate: plain {trunk.Endpoint.Transport.ToString().ToUpperInvariant()}, bound to the trunk's address");
            plain.Add(new PlainPeer(identity, location.Targets[0], trunk.Endpoint.Transport));
        }

        return plain;
    }
}
