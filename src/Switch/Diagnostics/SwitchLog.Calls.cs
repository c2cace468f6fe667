namespace HostedPbx.Switch.Diagnostics;

/// <summary>
/// Call lines. Every value a peer chose (a Call-ID, a From or Request-URI user, a Refer-To, a reason built from its SDP)
/// goes through <see cref="Peer"/>: escaped by <see cref="PeerText"/> and cut to <see cref="MaxPeerText"/> characters, so
/// a handset can neither flood the log nor forge its lines. The public methods take raw values; the templates are private.
/// </summary>
internal static partial class SwitchLog
{
    /// <summary>The most characters of one peer-chosen value in a call line.</summary>
    public const int MaxPeerText = 80;

    public static void CallStarted(ILogger logger, string callId, string caller, string callee, int targets) =>
        LogCallStarted(logger, Peer(callId), Peer(caller), Peer(callee), targets);

    public static void ForkStarted(ILogger logger, string callId, string contact) => LogForkStarted(logger, Peer(callId), Peer(contact));

    public static void CallAnswered(ILogger logger, string callId, string caller, string callee) =>
        LogCallAnswered(logger, Peer(callId), Peer(caller), Peer(callee));

    public static void CallEnded(ILogger logger, string callId, string outcome, long packets) => LogCallEnded(logger, Peer(callId), outcome, packets);

    /// <summary>The reason may be built from the offer's bytes: it is logged bounded and escaped.</summary>
    public static void OfferRefused(ILogger logger, string callId, string? reason) => LogOfferRefused(logger, Peer(callId), Peer(reason));

    /// <summary>The reason may be built from the answer's bytes: it is logged bounded and escaped.</summary>
    public static void ForkAnswerRefused(ILogger logger, string callId, string reason) => LogForkAnswerRefused(logger, Peer(callId), Peer(reason));

    public static void ReInviteAnswered(ILogger logger, string callId, string direction) => LogReInviteAnswered(logger, Peer(callId), direction);

    public static void CallRecordWriteFailed(ILogger logger, string callId, Exception exception) => LogCallRecordWriteFailed(logger, Peer(callId), exception);

    public static void AnnouncementStarted(ILogger logger, string callId, string dialled, string prompt) =>
        LogAnnouncementStarted(logger, Peer(callId), Peer(dialled), prompt);

    /// <summary>The target comes from the transferor's Refer-To.</summary>
    public static void TransferStarted(ILogger logger, string callId, string transferor, string target, int forks) =>
        LogTransferStarted(logger, Peer(callId), Peer(transferor), Peer(target), forks);

    public static void TransferCompleted(ILogger logger, string callId, string transferor, string target, string remaining) =>
        LogTransferCompleted(logger, Peer(callId), Peer(transferor), Peer(target), Peer(remaining));

    public static void TransferFailed(ILogger logger, string callId, int status) => LogTransferFailed(logger, Peer(callId), status);

    public static void MediaTimeout(ILogger logger, string callId) => LogMediaTimeout(logger, Peer(callId));

    /// <summary>A peer's value as a call line may carry it: escaped, and at most <see cref="MaxPeerText"/> characters.</summary>
    public static string Peer(string? text)
    {
        var bounded = PeerText.Bound(text);
        return bounded.Length <= MaxPeerText ? bounded : string.Concat(bounded.AsSpan(0, MaxPeerText - 3), "...");
    }

    [LoggerMessage(4000, LogLevel.Information, "Call {CallId}: {Caller} -> {Callee}, forking to {Targets} binding(s)")]
    private static partial void LogCallStarted(ILogger logger, string callId, string caller, string callee, int targets);

    [LoggerMessage(4001, LogLevel.Debug, "Call {CallId}: INVITE to {Contact}")]
    private static partial void LogForkStarted(ILogger logger, string callId, string contact);

    [LoggerMessage(4002, LogLevel.Information, "Call {CallId}: {Caller} -> {Callee} answered")]
    private static partial void LogCallAnswered(ILogger logger, string callId, string caller, string callee);

    [LoggerMessage(4003, LogLevel.Information, "Call {CallId} ended: {Outcome}, {Packets} packets relayed")]
    private static partial void LogCallEnded(ILogger logger, string callId, string outcome, long packets);

    [LoggerMessage(4004, LogLevel.Information, "Call {CallId}: offer refused: {Reason}")]
    private static partial void LogOfferRefused(ILogger logger, string callId, string reason);

    [LoggerMessage(4005, LogLevel.Warning, "Call {CallId}: answer from a fork refused: {Reason}")]
    private static partial void LogForkAnswerRefused(ILogger logger, string callId, string reason);

    [LoggerMessage(4006, LogLevel.Information, "Call {CallId}: re-INVITE answered, direction {Direction}")]
    private static partial void LogReInviteAnswered(ILogger logger, string callId, string direction);

    [LoggerMessage(4007, LogLevel.Error, "Writing the record of call {CallId} failed")]
    private static partial void LogCallRecordWriteFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(4008, LogLevel.Warning, "Prompt {Path} cannot be used: {Problem}")]
    public static partial void PromptUnusable(ILogger logger, string path, string problem);

    [LoggerMessage(4009, LogLevel.Information, "Call {CallId}: {Dialled} is not a number of the tenant; playing {Prompt}")]
    private static partial void LogAnnouncementStarted(ILogger logger, string callId, string dialled, string prompt);

    [LoggerMessage(4010, LogLevel.Information, "Call {CallId}: {Transferor} transfers its side to {Target}, forking to {Forks} binding(s)")]
    private static partial void LogTransferStarted(ILogger logger, string callId, string transferor, string target, int forks);

    [LoggerMessage(4011, LogLevel.Information, "Call {CallId}: transfer from {Transferor} to {Target} answered; {Remaining} now talks to {Target}")]
    private static partial void LogTransferCompleted(ILogger logger, string callId, string transferor, string target, string remaining);

    [LoggerMessage(4012, LogLevel.Information, "Call {CallId}: transfer failed, {Status}")]
    private static partial void LogTransferFailed(ILogger logger, string callId, int status);

    [LoggerMessage(5000, LogLevel.Information, "Call {CallId}: no media for too long, hanging up")]
    private static partial void LogMediaTimeout(ILogger logger, string callId);
}
