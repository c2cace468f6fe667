using Microsoft.Extensions.Logging;

namespace HostedPbx.Data.Hosting;

/// <summary>
/// Runs a queued write until it lands. A transient failure (<see cref="DatabaseFailure"/>) waits and tries the same
/// write again, for as long as the part runs, so a failover delays the queue behind it but loses nothing; the write
/// itself must be idempotent (keyed by the row's own id). Any other failure is the caller's to report.
/// </summary>
public static partial class WriteRetry
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    public static async Task UntilWrittenAsync(Func<CancellationToken, Task> write, string what, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write(cancellationToken);
                if (attempt > 1)
                {
                    Written(logger, what, attempt);
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && DatabaseFailure.IsTransient(ex))
            {
                WillRetry(logger, what, attempt, pause, ex.Message);
            }

            await Task.Delay(pause, time, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Database write of {What} failed (attempt {Attempt}), trying again in {Pause}: {Reason}")]
    private static partial void WillRetry(ILogger logger, string what, int attempt, TimeSpan pause, string reason);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Database write of {What} landed at attempt {Attempt}")]
    private static partial void Written(ILogger logger, string what, int attempt);
}
