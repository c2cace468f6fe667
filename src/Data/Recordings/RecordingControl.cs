namespace HostedPbx.Data.Recordings;

/// <summary>
/// A PCI pause or resume of a call's recording, asked through the API and carried to the switch over PostgreSQL NOTIFY
/// (nothing talks to the switch but SIP and the database). The payload is <c>pause|resume:{callId}:{who}</c>.
/// </summary>
public sealed record RecordingControl(bool Pause, Guid CallId, string By)
{
    public const string Channel = "hostedpbx_recording_control";

    private const int MaxBy = 200;

    public string ToPayload() => $"{(Pause ? "pause" : "resume")}:{CallId:D}:{(By.Length > MaxBy ? By[..MaxBy] : By)}";

    public static RecordingControl? TryParse(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var parts = payload.Split(':', 3);
        return parts.Length == 3 && parts[0] is "pause" or "resume" && Guid.TryParse(parts[1], out var callId)
            ? new RecordingControl(parts[0] == "pause", callId, parts[2])
            : null;
    }
}
