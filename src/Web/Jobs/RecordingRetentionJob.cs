using HostedPbx.Data;
using HostedPbx.Data.Recordings;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// Daily: deletes the recordings past their tenant's retention that no legal hold covers (<see cref="RecordingRetention"/>).
/// Idempotent: a recording deleted once is a deletion record, skipped by the next pass.
/// </summary>
public sealed class RecordingRetentionJob(
    IDbContextFactory<PbxDbContext> factory, IOptions<RecordingOptions> options, IConfiguration configuration, TimeProvider time, ILogger<RecordingRetentionJob> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.UseScope(DbScope.System);
        var retention = new RecordingRetention(options.Value.Resolve(configuration["HostedPbx:DataDirectory"]), time);
        var result = await retention.RunAsync(db, ct);
        JobLog.RecordingsRetained(logger, result.Deleted, result.Held);
    }
}
