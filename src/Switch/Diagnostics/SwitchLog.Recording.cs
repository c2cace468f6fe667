namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(7400, LogLevel.Information, "Call {CallId}: recording {RecordingId} started under policy {Policy}")]
    public static partial void RecordingStarted(ILogger logger, string callId, Guid recordingId, string policy);

    [LoggerMessage(7401, LogLevel.Information, "Recording {RecordingId} complete: {DurationMs} ms, chain index {ChainIndex}")]
    public static partial void RecordingCompleted(ILogger logger, Guid recordingId, long durationMs, long chainIndex);

    [LoggerMessage(7402, LogLevel.Warning, "Recording {RecordingId}: the writer fell behind (slow disk?); audio is being dropped and kept as a marked gap")]
    public static partial void RecordingFellBehind(ILogger logger, Guid recordingId);

    [LoggerMessage(7403, LogLevel.Error, "Recording {RecordingId} failed; the call goes on unrecorded")]
    public static partial void RecordingFailed(ILogger logger, Guid recordingId, Exception exception);

    [LoggerMessage(7404, LogLevel.Warning, "Recording {RecordingId} was left open by a stop; sealed at {DurationMs} ms and marked cut short")]
    public static partial void RecordingRecovered(ILogger logger, Guid recordingId, long durationMs);

    [LoggerMessage(7405, LogLevel.Warning, "Calls are not recorded: no master key is configured (Keys:MasterKey or Keys:MasterKeyFile)")]
    public static partial void RecordingDisabled(ILogger logger);

    [LoggerMessage(7406, LogLevel.Error, "Recording store: a write failed")]
    public static partial void RecordingStoreFailed(ILogger logger, Exception exception);

    /// <summary>Who paused is an API key's or user's name, bounded by the API.</summary>
    [LoggerMessage(7408, LogLevel.Information, "Recording {RecordingId} {Change} by {By}")]
    public static partial void RecordingPaused(ILogger logger, Guid recordingId, string change, string by);

    [LoggerMessage(7407, LogLevel.Warning, "Recording policies could not be loaded; the previous ones stay in force")]
    public static partial void RecordingPoliciesFailed(ILogger logger, Exception exception);

    [LoggerMessage(7460, LogLevel.Information, "Call {CallId}: feature code {Feature} from {By} ignored: {Reason}")]
    public static partial void RecordingCodeIgnored(ILogger logger, string callId, string feature, string by, string reason);

    [LoggerMessage(7461, LogLevel.Information, "Recording {RecordingId} stopped on demand by {By}")]
    public static partial void RecordingStoppedOnDemand(ILogger logger, Guid recordingId, string by);

    [LoggerMessage(7462, LogLevel.Information, "Call {CallId}: both parties hear the recording announcement (policy {Policy}) before the bridge")]
    public static partial void RecordingAnnounced(ILogger logger, string callId, string policy);
}
