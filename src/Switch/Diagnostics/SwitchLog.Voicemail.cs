namespace HostedPbx.Switch.Diagnostics;

internal static partial class SwitchLog
{
    [LoggerMessage(7400, LogLevel.Information, "Call {CallId}: to the mailbox of {Extension} ({Greeting})")]
    public static partial void MailboxAnswered(ILogger logger, string callId, string extension, string greeting);

    [LoggerMessage(7401, LogLevel.Information, "Voicemail message {MessageId} started (call {CallRecordId})")]
    public static partial void MessageStarted(ILogger logger, Guid messageId, Guid callRecordId);

    [LoggerMessage(7402, LogLevel.Information, "Voicemail message {MessageId} completed, {DurationMs} ms")]
    public static partial void MessageCompleted(ILogger logger, Guid messageId, int durationMs);

    [LoggerMessage(7403, LogLevel.Information, "Voicemail message {MessageId} dropped: silence under two seconds")]
    public static partial void MessageDropped(ILogger logger, Guid messageId);

    [LoggerMessage(7404, LogLevel.Warning, "Voicemail message {MessageId} was being written when the switch stopped; kept up to its last whole second, {DurationMs} ms")]
    public static partial void MessageRecovered(ILogger logger, Guid messageId, int durationMs);

    [LoggerMessage(7405, LogLevel.Warning, "Voicemail greeting {GreetingId} cannot be played: {Problem}")]
    public static partial void GreetingUnusable(ILogger logger, Guid greetingId, string problem);

    [LoggerMessage(7406, LogLevel.Error, "Call {CallId}: the mailbox failed")]
    public static partial void MailboxFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(7407, LogLevel.Error, "Voicemail message {MessageId}: writing stopped ({Problem}); the message ends at its last whole second")]
    public static partial void MessageWriteFailed(ILogger logger, Guid messageId, string problem);

    [LoggerMessage(7408, LogLevel.Information, "Call {CallId}: the mailbox of {Extension} is full")]
    public static partial void MailboxFull(ILogger logger, string callId, string extension);

    [LoggerMessage(7409, LogLevel.Debug, "Message waiting for {Account}: {New} new, {Old} old")]
    public static partial void MessageWaitingNotified(ILogger logger, string account, int @new, int old);

    [LoggerMessage(7410, LogLevel.Warning, "Message waiting for {Account} could not be sent")]
    public static partial void MessageWaitingFailed(ILogger logger, string account, Exception exception);

    [LoggerMessage(7411, LogLevel.Warning, "Listening for mailbox changes failed; retrying")]
    public static partial void MailboxListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(7430, LogLevel.Information, "Call {CallId}: {Extension} opens its mailbox by the access number")]
    public static partial void MailboxOpened(ILogger logger, string callId, string extension);

    [LoggerMessage(7431, LogLevel.Warning, "Call {CallId}: the mailbox of {Extension} refused access: {Reason}")]
    public static partial void MailboxRefused(ILogger logger, string callId, string extension, string reason);

    [LoggerMessage(7432, LogLevel.Warning, "Voicemail message {MessageId} is not played: {Problem}")]
    public static partial void MessageUnplayable(ILogger logger, Guid messageId, string problem);

    [LoggerMessage(7433, LogLevel.Information, "Voicemail message {MessageId} {Change} from the phone")]
    public static partial void MessageChangedByPhone(ILogger logger, Guid messageId, string change);

    [LoggerMessage(7434, LogLevel.Information, "Call {CallId}: the voicemail PIN of {Extension} was changed from the phone")]
    public static partial void MailboxPinChanged(ILogger logger, string callId, string extension);

    [LoggerMessage(7435, LogLevel.Information, "Call {CallId}: the {Greeting} greeting of {Extension} was {Change} from the phone")]
    public static partial void GreetingChangedByPhone(ILogger logger, string callId, string extension, string greeting, string change);

    [LoggerMessage(7436, LogLevel.Information, "Call {CallId}: a {Greeting} greeting recorded by {Extension} was not kept: {Reason}")]
    public static partial void GreetingNotKept(ILogger logger, string callId, string extension, string greeting, string reason);

    [LoggerMessage(7437, LogLevel.Information, "Call {CallId}: {Extension} recorded a {Greeting} greeting of {DurationMs} ms; playing it back")]
    public static partial void GreetingRecorded(ILogger logger, string callId, string extension, string greeting, int durationMs);

    [LoggerMessage(7438, LogLevel.Error, "Voicemail message {MessageId}: its file could not be created ({Problem}); nothing is kept and the caller is hung up")]
    public static partial void MessageNotStarted(ILogger logger, Guid messageId, string problem);
}
