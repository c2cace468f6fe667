using Hangfire;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// Every minute: each complete message of the last day whose extension has an e-mail address and that was not e-mailed
/// yet gets its own <see cref="VoicemailEmailJob"/> (with Hangfire's retries), unless one is already waiting or running.
/// Never from the switch's media path: the switch only writes the row.
/// </summary>
public sealed class VoicemailEmailScanJob(IDbContextFactory<PbxDbContext> factory, IBackgroundJobClient jobs, JobStorage storage,
    IOptions<VoicemailMailOptions> options, TimeProvider time, ILogger<VoicemailEmailScanJob> logger)
{
    private static readonly TimeSpan s_window = TimeSpan.FromDays(1);

    public async Task RunAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        db.UseScope(DbScope.System);
        var since = time.GetUtcNow() - s_window;
        var due = await db.VoicemailMessages.AsNoTracking()
            .Where(m => m.EmailedAt == null && m.AudioSha256 != null && m.Status != VoicemailStatus.Deleted && m.ReceivedAt > since
                && m.Extension!.VoicemailEmail != null)
            .OrderBy(m => m.ReceivedAt).Select(m => m.Id).Take(500).ToListAsync(ct);
        if (due.Count == 0)
        {
            return;
        }

        var pending = PendingMessages();
        var queued = 0;
        foreach (var id in due.Where(id => !pending.Contains(id)))
        {
            jobs.Enqueue<VoicemailEmailJob>(job => job.RunAsync(id, CancellationToken.None));
            queued++;
        }

        JobLog.VoicemailEmailsQueued(logger, queued);
    }

    /// <summary>Messages whose e-mail job is queued, waiting for a retry, or running (a failed one is tried again).</summary>
    private HashSet<Guid> PendingMessages()
    {
        var monitor = storage.GetMonitoringApi();
        var jobsOf = monitor.EnqueuedJobs("default", 0, 1000).Select(j => j.Value.Job)
            .Concat(monitor.ScheduledJobs(0, 1000).Select(j => j.Value.Job))
            .Concat(monitor.ProcessingJobs(0, 1000).Select(j => j.Value.Job));
        return [.. jobsOf.Where(j => j?.Type == typeof(VoicemailEmailJob) && j.Args.Count > 0 && j.Args[0] is Guid).Select(j => (Guid)j!.Args[0])];
    }
}
