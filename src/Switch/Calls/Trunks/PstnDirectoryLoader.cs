using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Transport.Peers;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>Reads a <see cref="PstnDirectory"/> as the switch's role (which may read every tenant's routes and guards).</summary>
internal sealed class PstnDirectoryLoader(IDbContextFactory<PbxDbContext> contexts)
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
                return new PstnTrunk(t.Id, t.TenantId, t.Name, endpoint, Math.Min(t.MaxChannels, t.Carrier?.MaxChannels ?? int.MaxValue), target);
            });
        return new PstnDirectory(settings, routes, peers, dialled, numbers, suspended);
    }
}
