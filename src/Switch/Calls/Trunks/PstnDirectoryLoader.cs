using HostedPbx.Data;
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
        return new PstnDirectory(settings, routes);
    }
}
