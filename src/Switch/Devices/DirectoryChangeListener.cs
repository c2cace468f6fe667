using HostedPbx.Switch.Database;
using HostedPbx.Switch.Diagnostics;
using Npgsql;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// LISTENs on the channel the configuration tables notify (migration DirectoryChangeNotifications) and tells the
/// directory cache to reload; after a lost connection it reloads once, since notices sent meanwhile are gone
/// (<see cref="ChannelListener"/> reconnects, follows a failover and probes a quiet connection).
/// </summary>
internal sealed class DirectoryChangeListener(NpgsqlDataSource dataSource, DeviceDirectoryCache cache, TimeProvider time, ILogger logger)
{
    /// <summary>The channel the configuration tables notify; the migration that made the triggers names it.</summary>
    public const string Channel = Data.Migrations.DirectoryChangeNotifications.Channel;

    public Task RunAsync(CancellationToken cancellationToken) =>
        new ChannelListener(dataSource, Channel, _ => cache.Invalidate(), cache.Invalidate, ex => SwitchLog.DirectoryListenFailed(logger, ex), time)
            .RunAsync(cancellationToken);
}
