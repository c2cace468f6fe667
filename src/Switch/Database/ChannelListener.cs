using Npgsql;

namespace HostedPbx.Switch.Database;

/// <summary>
/// The switch's one way of hearing PostgreSQL NOTIFY: LISTENs on a channel and hands each notice's payload on. On a lost
/// connection it reconnects after a pause and says so (<c>listening</c> runs again, for a reload: notices sent meanwhile
/// are gone). After a failover the data source (several hosts, read-write target) opens on the new primary, where the
/// writers' NOTIFYs now go. A quiet connection is probed every <see cref="Heartbeat"/>: a primary that vanished without
/// closing the socket (a host lost, not a process) is noticed then, not never.
/// </summary>
internal sealed class ChannelListener(
    NpgsqlDataSource dataSource, string channel, Action<string> notice, Action listening, Action<Exception> failed, TimeProvider time)
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(2);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, e) => notice(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                listening();
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
                failed(ex);
                await Task.Delay(s_retry, time, cancellationToken);
            }
        }
    }
}
