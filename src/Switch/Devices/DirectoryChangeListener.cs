using HostedPbx.Switch.Diagnostics;
using Npgsql;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// LISTENs on the channel the configuration tables notify (migration DirectoryChangeNotifications) and tells the
/// directory cache to reload. On a lost connection it reconnects, and reloads once, since notices sent meanwhile are gone.
/// After a failover the data source (several hosts, read-write target) opens on the new primary, where the writers'
/// NOTIFYs now go. A quiet connection is probed every <see cref="Heartbeat"/>: a primary that vanished without closing
/// the socket (a host lost, not a process) is noticed then, not never.
/// </summary>
internal sealed class DirectoryChangeListener(NpgsqlDataSource dataSource, DeviceDirectoryCache cache, TimeProvider time, ILogger logger)
{
    /// <summary>The channel the configuration tables notify; the migration that made the triggers names it.</summary>
    public const string Channel = Data.Migrations.DirectoryChangeNotifications.Channel;

    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

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
                    if (!await connection.WaitAsync((int)Heartbeat.TotalMilliseconds, cancellationToken))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(cancellationToken);
                    }
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
