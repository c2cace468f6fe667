namespace HostedPbx.Data.Recordings;

/// <summary>
/// A start, stop, pause or resume of a call's recording, asked through the API and carried to the switch over
/// PostgreSQL NOTIFY (nothing talks to the switch but SIP and the database). The payload is
/// <c>start|stop|pause|resume:{callId}:{who}</c>.
/// </summary>
public sealed record RecordingControl(RecordingControlAction Action, Guid CallId, string By)
{
    public const string Channel = "hostedpbx_recording_control";

    private const int MaxBy = 200;

    public string ToPayload() => $"{Name(Action)}:{CallId:D}:{(By.Length > MaxBy ? By[..MaxBy] : By)}";

    public static RecordingControl? TryParse(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var parts = payload.Split(':', 3);
        RecordingControlAction? action = parts[0] switch
        {
            "pause" => RecordingControlAction.Pause,
            "resume" => RecordingControlAction.Resume,
            "start" => RecordingControlAction.Start,
            "stop" => RecordingControlAction.Stop,
            _ => null,
        };
        return parts.Length == 3 && action is { } known && Guid.TryParse(parts[1], out var callId)
            ? new RecordingControl(known, callId, parts[2])
            : null;
    }

    private static string Name(RecordingControlAction action) => action switch
    {
        RecordingControlAction.Pause => "pause",
        RecordingControlAction.Resume => "resume",
        RecordingControlAction.Start => "start",
        RecordingControlAction.Stop => "stop",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
