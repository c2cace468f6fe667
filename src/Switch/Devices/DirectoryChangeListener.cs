using HostedPbx.Switch.Diagnostics;
using Npgsql;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// LISTENs on the channel the configuration tables notify (migration DirectoryChangeNotifications) and tells the
/// directory cache to reload. On a lost connection it reconnects, and reloads once, since notices sent meanwhile are gone.
/// </summary>
internal sealed class DirectoryChangeListener(NpgsqlDataSource dataSource, DeviceDirectoryCache cache, TimeProvider time, ILogger logger)
{
    /// <summary>The channel the configuration tables notify; the migration that made the triggers names it.</summary>
    public const string Channel = Data.Migrations.DirectoryChangeNotifications.Channel;

    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => cache.Invalidate();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                cache.Invalidate();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.DirectoryListenFailed(logger, ex);
                await Task.Delay(s_retry, time, cancellationToken);
            }
        }
    }
}
