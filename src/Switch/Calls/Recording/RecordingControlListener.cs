using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Diagnostics;
using Npgsql;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>LISTENs for PCI pause and resume requests (<see cref="RecordingControl"/>) and applies them to this node's recordings.</summary>
internal sealed class RecordingControlListener(NpgsqlDataSource dataSource, CallRecorder recorder, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, e) =>
                {
                    if (RecordingControl.TryParse(e.Payload) is { } control)
                    {
                        recorder.Control(control);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {RecordingControl.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.RecordingStoreFailed(logger, ex);
                await Task.Delay(s_retry, time, cancellationToken);
            }
        }
    }
}
