using HostedPbx.Data;
using HostedPbx.Data.Entities;
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
        var ownTrunks = await db.Trunks.AsNoTracking()
            .Where(t => t.Enabled && t.CarrierId == null && t.Transport == TrunkTransport.Tls && t.Host != null).ToListAsync(cancellationToken);
        // A carrier is known by the name its certificate must carry: the configured certificate name, else its host.
        var peers = new PeerDirectory([
            .. carriers.Select(c => new KnownPeer(PeerKind.Trunk, c.Name, c.Id, null, c.CertificateName ?? c.Host)),
            .. ownTrunks.Select(t => new KnownPeer(PeerKind.Trunk, t.Name, t.Id, t.TenantId, t.CertificateName ?? t.Host!)),
        ]);
        return new PstnDirectory(settings, routes, peers);
    }
}
