using HostedPbx.Switch.Sip.Transactions;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>SIP protocol core log messages; EventIds 1000-1999.</summary>
internal static partial class SwitchLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "SIP timer {Timer} callback failed; other timers keep running")]
    public static partial void SipTimerCallbackFailed(ILogger logger, SipTimer timer, Exception exception);
}
