namespace HostedPbx.Switch.Calls;

/// <summary>
/// What every call of the controller shares: limits and timers, the record writer, who to tell when it ends, the
/// mailboxes a call goes to when nobody takes it (none when the switch runs without voicemail), and the recorder.
/// </summary>
internal sealed record CallEnvironment(
    CallLimits Limits, CallRecordStore Records, TimeProvider Time, ILogger Logger, Action<Call> Ended, Voicemail.Mailboxes? Mailboxes = null,
    Recording.CallRecorder? Recorder = null);
