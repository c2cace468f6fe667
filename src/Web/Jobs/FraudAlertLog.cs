namespace HostedPbx.Web.Jobs;

// The fraud alert's messages, in the jobs' log area (EventIds 7040-7049), kept beside the job.
internal static partial class JobLog
{
    [LoggerMessage(7040, LogLevel.Warning, "Fraud alert e-mailed for tenant {TenantId} to {Count} recipient(s)")]
    public static partial void FraudAlerted(ILogger logger, Guid tenantId, int count);

    [LoggerMessage(7041, LogLevel.Error, "Fraud alert for tenant {TenantId} not sent; the next run tries again")]
    public static partial void FraudAlertFailed(ILogger logger, Exception exception, Guid tenantId);
}
