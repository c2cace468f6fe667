namespace HostedPbx.Web.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(7000, LogLevel.Information, "Certificate expiry sweep: {Renewed} renewed, {Flagged} vendor certificate(s) flagged")]
    public static partial void ExpirySwept(ILogger logger, int renewed, int flagged);

    [LoggerMessage(7010, LogLevel.Information, "Voicemail e-mail: {Count} message(s) queued")]
    public static partial void VoicemailEmailsQueued(ILogger logger, int count);

    [LoggerMessage(7011, LogLevel.Information, "Voicemail e-mail sent for message {MessageId} (audio attached: {WithAudio})")]
    public static partial void VoicemailEmailed(ILogger logger, Guid messageId, bool withAudio);

    [LoggerMessage(7012, LogLevel.Warning, "Voicemail e-mail for message {MessageId}: its audio failed verification, so only the notice is sent")]
    public static partial void VoicemailAudioRefused(ILogger logger, Guid messageId);

    [LoggerMessage(7030, LogLevel.Information, "Recording retention: {Deleted} recording(s) deleted, {Held} past retention kept under a legal hold")]
    public static partial void RecordingsRetained(ILogger logger, int deleted, int held);
}
