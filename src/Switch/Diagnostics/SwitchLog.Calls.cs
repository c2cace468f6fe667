namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(4000, LogLevel.Information, "Call {CallId}: {Caller} -> {Callee}, forking to {Targets} binding(s)")]
    public static partial void CallStarted(ILogger logger, string callId, string caller, string callee, int targets);

    [LoggerMessage(4001, LogLevel.Debug, "Call {CallId}: INVITE to {Contact}")]
    public static partial void ForkStarted(ILogger logger, string callId, string contact);

    [LoggerMessage(4002, LogLevel.Information, "Call {CallId}: {Caller} -> {Callee} answered")]
    public static partial void CallAnswered(ILogger logger, string callId, string caller, string callee);

    [LoggerMessage(4003, LogLevel.Information, "Call {CallId} ended: {Outcome}, {Packets} packets relayed")]
    public static partial void CallEnded(ILogger logger, string callId, string outcome, long packets);

    /// <summary>The reason may be built from the offer's bytes: it is logged bounded and escaped.</summary>
    public static void OfferRefused(ILogger logger, string callId, string reason) => LogOfferRefused(logger, PeerText.Bound(callId), PeerText.Bound(reason));

    /// <summary>The reason may be built from the answer's bytes: it is logged bounded and escaped.</summary>
    public static void ForkAnswerRefused(ILogger logger, string callId, string reason) => LogForkAnswerRefused(logger, PeerText.Bound(callId), PeerText.Bound(reason));

    [LoggerMessage(4004, LogLevel.Information, "Call {CallId}: offer refused: {Reason}")]
    private static partial void LogOfferRefused(ILogger logger, string callId, string reason);

    [LoggerMessage(4005, LogLevel.Warning, "Call {CallId}: answer from a fork refused: {Reason}")]
    private static partial void LogForkAnswerRefused(ILogger logger, string callId, string reason);

    [LoggerMessage(4006, LogLevel.Information, "Call {CallId}: re-INVITE answered, direction {Direction}")]
    public static partial void ReInviteAnswered(ILogger logger, string callId, string direction);

    [LoggerMessage(4007, LogLevel.Error, "Writing the record of call {CallId} failed")]
    public static partial void CallRecordWriteFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(4008, LogLevel.Warning, "Prompt {Path} cannot be used: {Problem}")]
    public static partial void PromptUnusable(ILogger logger, string path, string problem);

    [LoggerMessage(4009, LogLevel.Information, "Call {CallId}: {Dialled} is not a number of the tenant; playing {Prompt}")]
    public static partial void AnnouncementStarted(ILogger logger, string callId, string dialled, string prompt);

    /// <summary>The target comes from the transferor's Refer-To: it is logged bounded and escaped.</summary>
    public static void TransferStarted(ILogger logger, string callId, string transferor, string target, int forks) =>
        LogTransferStarted(logger, PeerText.Bound(callId), PeerText.Bound(transferor), PeerText.Bound(target), forks);

    [LoggerMessage(4010, LogLevel.Information, "Call {CallId}: {Transferor} transfers its side to {Target}, forking to {Forks} binding(s)")]
    private static partial void LogTransferStarted(ILogger logger, string callId, string transferor, string target, int forks);

    [LoggerMessage(4011, LogLevel.Information, "Call {CallId}: transfer from {Transferor} to {Target} answered; {Remaining} now talks to {Target}")]
    public static partial void TransferCompleted(ILogger logger, string callId, string transferor, string target, string remaining);

    [LoggerMessage(4012, LogLevel.Information, "Call {CallId}: transfer failed, {Status}")]
    public static partial void TransferFailed(ILogger logger, string callId, int status);

    [LoggerMessage(5000, LogLevel.Information, "Call {CallId}: no media for too long, hanging up")]
    public static partial void MediaTimeout(ILogger logger, string callId);
}
