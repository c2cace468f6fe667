using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Jobs;

/// <summary>Keeps the device CA's published CRL current: re-signed when it nears its nextUpdate or misses a revocation.</summary>
public sealed class RevocationListRefreshJob(IDbContextFactory<PbxDbContext> factory, RevocationList crl)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.UseScope(DbScope.System);
        await crl.CurrentAsync(db, ct);
    }
}
