using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Database;
using HostedPbx.Switch.Diagnostics;
using Npgsql;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>LISTENs for start, stop, pause and resume requests (<see cref="RecordingControl"/>) and applies them to this node's recordings.</summary>
internal sealed class RecordingControlListener(NpgsqlDataSource dataSource, CallRecorder recorder, TimeProvider time, ILogger logger)
{
    public Task RunAsync(CancellationToken cancellationToken) =>
        new ChannelListener(dataSource, RecordingControl.Channel, Control, static () => { }, ex => SwitchLog.RecordingStoreFailed(logger, ex), time)
            .RunAsync(cancellationToken);

    private void Control(string payload)
    {
        if (RecordingControl.TryParse(payload) is { } control)
        {
            recorder.Control(control);
        }
    }
}
