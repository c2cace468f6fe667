namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(3000, LogLevel.Information, "Binding for {Extension}: {ContactUri} for {Expires} s")]
    public static partial void BindingSaved(ILogger logger, string extension, string contactUri, int expires);

    [LoggerMessage(3001, LogLevel.Information, "Binding for {Extension} removed: {ContactUri}")]
    public static partial void BindingRemoved(ILogger logger, string extension, string contactUri);

    /// <summary>The reason may quote the request's To: it is logged bounded and escaped.</summary>
    public static void RegisterRefused(ILogger logger, string mac, string reason) => LogRegisterRefused(logger, mac, PeerText.Bound(reason));

    [LoggerMessage(3002, LogLevel.Warning, "REGISTER from device {Mac} refused: {Reason}")]
    private static partial void LogRegisterRefused(ILogger logger, string mac, string reason);

    [LoggerMessage(3003, LogLevel.Error, "Writing the registration of {Extension} failed")]
    public static partial void RegistrationWriteFailed(ILogger logger, string extension, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "REGISTER for {Extension} challenged for digest")]
    public static partial void DigestChallenged(ILogger logger, string extension);

    [LoggerMessage(3005, LogLevel.Information, "REGISTER for {Extension} from device {Mac} refused with 503: this switch node is draining; Retry-After {RetryAfterSeconds} s")]
    public static partial void RegisterRefusedDraining(ILogger logger, string mac, string extension, int retryAfterSeconds);
}
