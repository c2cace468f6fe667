namespace HostedPbx.Switch.Diagnostics;

/// <summary>SIP protocol core log messages; EventIds 1000-1999.</summary>
internal static partial class SwitchLog
{
    // The timer is taken as an Enum so Diagnostics, which every layer imports, imports no layer back.
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "SIP timer {Timer} callback failed; other timers keep running")]
    public static partial void SipTimerCallbackFailed(ILogger logger, Enum timer, Exception exception);
}
