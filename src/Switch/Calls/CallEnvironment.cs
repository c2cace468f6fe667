namespace HostedPbx.Switch.Calls;

/// <summary>What every call of the controller shares: limits and timers, the record writer, who to tell when it ends, and the recorder.</summary>
internal sealed record CallEnvironment(
    CallLimits Limits, CallRecordStore Records, TimeProvider Time, ILogger Logger, Action<Call> Ended, Recording.CallRecorder? Recorder = null);
