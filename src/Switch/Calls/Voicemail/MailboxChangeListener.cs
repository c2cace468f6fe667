using HostedPbx.Switch.Database;
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

    public Task RunAsync(CancellationToken cancellationToken) =>
        new ChannelListener(dataSource, Channel, Changed, static () => { }, ex => SwitchLog.MailboxListenFailed(logger, ex), time)
            .RunAsync(cancellationToken);

    private void Changed(string payload)
    {
        if (Guid.TryParse(payload, out var extensionId))
        {
            subscriptions.OnMailboxChanged(extensionId);
        }
    }
}
