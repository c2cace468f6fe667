using Hangfire;

namespace HostedPbx.Web.Jobs;

/// <summary>
/// Every recurring job of the platform, in one place. Registered at start (after the database check); AddOrUpdate
/// is idempotent, so several copies of Web starting together agree.
/// </summary>
internal sealed class JobSchedule(IRecurringJobManager jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Daily, at night: renew platform certificates and flag vendor ones ahead of their expiry.
        jobs.AddOrUpdate<CertificateExpiryJob>("certificate-expiry-sweep", job => job.RunAsync(CancellationToken.None), Cron.Daily(3));
        // Hourly: the published CRL is re-signed well before its nextUpdate, even when nobody asks for it.
        jobs.AddOrUpdate<RevocationListRefreshJob>("crl-refresh", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        // Every minute: each new message not e-mailed yet gets its own job (VoicemailEmailScanJob).
        jobs.AddOrUpdate<VoicemailEmailScanJob>("voicemail-email-scan", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
