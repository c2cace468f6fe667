namespace HostedPbx.Web.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(7000, LogLevel.Information, "Certificate expiry sweep: {Renewed} renewed, {Flagged} vendor certificate(s) flagged")]
    public static partial void ExpirySwept(ILogger logger, int renewed, int flagged);
}
