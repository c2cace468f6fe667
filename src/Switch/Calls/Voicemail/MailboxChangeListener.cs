using HostedPbx.Switch.Diagnostics;
using Npgsql;

namespace HostedPbx.Switch.Calls.Voicemail;

/// <summary>
/// LISTENs on the channel the voicemail messages' trigger notifies with an extension's id (migration Voicemail), so
/// message waiting is right after a deposit, a listen or a delete from any channel (phone, portal, API).
/// </summary>
internal sealed class MailboxChangeListener(NpgsqlDataSource dataSource, MailboxSubscriptions subscriptions, TimeProvider time, ILogger logger)
{
    public const string Channel = Data.Migrations.Voicemail.MailboxChannel;

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
                    if (Guid.TryParse(e.Payload, out var extensionId))
                    {
                        subscriptions.OnMailboxChanged(extensionId);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
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
                SwitchLog.MailboxListenFailed(logger, ex);
                await Task.Delay(s_retry, time, cancellationToken);
            }
        }
    }
}
