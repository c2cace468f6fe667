using System.Net;
using System.Net.Sockets;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Transport.Peers;
using HostedPbx.Switch.Sip.Transport.Udp;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>Reads a <see cref="PstnDirectory"/> as the switch's role (which may read every tenant's routes and guards).</summary>
internal sealed class PstnDirectoryLoader(IDbContextFactory<PbxDbContext> contexts, TimeProvider? time = null)
{
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
    /// Issue 11: the trunks the operator allowed over plain UDP, bound to the address their host names (an IP literal, or
    /// its first address in DNS); a carrier shared by tenants is one peer at one address.
    /// </summary>
    private static async Task<List<PlainPeer>> PlainPeersAsync(List<PstnTrunk> trunks, CancellationToken cancellationToken)
    {
        List<PlainPeer> plain = [];
        foreach (var trunk in trunks.Where(t => t.PlainTransportAllowed && t.Endpoint.Transport == TrunkTransport.Udp).DistinctBy(t => t.Target.PeerId))
        {
            var address = IPAddress.TryParse(trunk.Endpoint.Host, out var literal) ? literal : await ResolveAsync(trunk.Endpoint.Host, cancellationToken);
            if (address is null)
            {
                continue;
            }

            var target = trunk.Target;
            var identity = new PeerIdentity(PeerKind.Trunk, target.Name, target.PeerId, target.TenantId, "", "", false, "no certificate: plain UDP, bound to the trunk's address");
            plain.Add(new PlainPeer(identity, new IPEndPoint(address, trunk.Endpoint.Port)));
        }

        return plain;
    }

    private static async Task<IPAddress?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return (await Dns.GetHostAddressesAsync(host, cancellationToken)).FirstOrDefault();
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
