using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// Every recurring job of the platform, in one place. Registered at start (after the database check); AddOrUpdate
/// is idempotent, so several copies of Web starting together agree. Registering takes the job's distributed lock,
/// which another copy (or this copy's scheduler, every minute for a minutely job) may hold: a busy lock is waited out
/// in the background and tried again, never a reason for the portal not to start.
/// </summary>
internal sealed partial class JobSchedule(IRecurringJobManager jobs, TimeProvider time, ILogger<JobSchedule> logger) : BackgroundService
{
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Register();
                return;
            }
            catch (Exception ex) when (ex is PostgreSqlDistributedLockException or DistributedLockTimeoutException)
            {
                LockBusy(logger, ex.Message);
                await Task.Delay(s_retry, time, stoppingToken);
            }
        }
    }

    private void Register()
    {
        // Daily, at night: renew platform certificates and flag vendor ones ahead of their expiry.
        jobs.AddOrUpdate<CertificateExpiryJob>("certificate-expiry-sweep", job => job.RunAsync(CancellationToken.None), Cron.Daily(3));
        // Hourly: the published CRL is re-signed well before its nextUpdate, even when nobody asks for it.
        jobs.AddOrUpdate<RevocationListRefreshJob>("crl-refresh", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        // Every minute: each new message not e-mailed yet gets its own job (VoicemailEmailScanJob).
        jobs.AddOrUpdate<VoicemailEmailScanJob>("voicemail-email-scan", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        // Daily, at night: recordings past their tenant's retention and under no legal hold are deleted (issue 10 item 5).
        jobs.AddOrUpdate<RecordingRetentionJob>("recording-retention", job => job.RunAsync(CancellationToken.None), Cron.Daily(4));
        // Every minute: a toll-fraud suspension not alerted yet is e-mailed to the tenant's admins and its reseller (issue 11).
        jobs.AddOrUpdate<FraudAlertJob>("fraud-alert", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
    }

    [LoggerMessage(EventId = 7020, Level = LogLevel.Warning, Message = "Recurring jobs not registered yet, a job's lock is busy ({Detail}); trying again in 5 s")]
    private static partial void LockBusy(ILogger logger, string detail);
}
