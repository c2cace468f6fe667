using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Jobs;

/// <summary>Runs the certificate expiry sweep over every tenant. Idempotent: the sweep renews or flags once.</summary>
public sealed class CertificateExpiryJob(IDbContextFactory<PbxDbContext> factory, CertificateExpirySweep sweep, ILogger<CertificateExpiryJob> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.UseScope(DbScope.System);
        var result = await sweep.RunAsync(db, ct);
        JobLog.ExpirySwept(logger, result.Renewed, result.Flagged);
    }
}
