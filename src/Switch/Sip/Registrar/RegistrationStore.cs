using System.Threading.Channels;
using HostedPbx.Data;
using HostedPbx.Data.Hosting;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Sip.Registrar;

/// <summary>Mirrors this node's bindings into the registrations table, off the signalling path.</summary>
internal sealed class RegistrationStore(IDbContextFactory<PbxDbContext> contexts, string switchNode, ILogger logger, TimeProvider? time = null)
{
    private const int MaxBatch = 256;

    private readonly Channel<(Binding Binding, bool Remove)> _changes = Channel.CreateUnbounded<(Binding, bool)>(new UnboundedChannelOptions { SingleReader = true });

    public void Save(Binding binding) => _changes.Writer.TryWrite((binding, false));

    public void Delete(Binding binding) => _changes.Writer.TryWrite((binding, true));

    /// <summary>Rows this node left behind when it last stopped describe connections that no longer exist.</summary>
    public async Task ClearNodeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Registrations.Where(r => r.SwitchNode == switchNode).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(Binding Binding, bool Remove)>(MaxBatch);
        while (await _changes.Reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _changes.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }

            await WriteAsync(batch, cancellationToken);
        }
    }

    // What is queued is written together, in order, over one connection: after a restart a whole node's handsets
    // register at once, and a connection (with its scope) per registration was a fifth of the switch's work in that storm.
    private async Task WriteAsync(List<(Binding Binding, bool Remove)> batch, CancellationToken cancellationToken)
    {
        var next = 0;
        while (next < batch.Count)
        {
            try
            {
                // Retried through a failover from the change it stopped at; each change is keyed by the binding's id, so a
                // retry neither loses nor doubles a row.
                await WriteRetry.UntilWrittenAsync(
                    async ct =>
                    {
                        await using var db = await contexts.CreateDbContextAsync(ct);
                        await db.Database.OpenConnectionAsync(ct);
                        for (; next < batch.Count; next++)
                        {
                            try
                            {
                                await WriteAsync(db, batch[next].Binding, batch[next].Remove, ct);
                            }
                            catch (Exception ex) when (ex is not OperationCanceledException && !DatabaseFailure.IsTransient(ex))
                            {
                                // This change cannot be written (say, its extension was deleted meanwhile); the others still are.
                                SwitchLog.RegistrationWriteFailed(logger, batch[next].Binding.Extension, ex);
                            }
                        }
                    },
                    "registration", time ?? TimeProvider.System, logger, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.RegistrationWriteFailed(logger, batch[next].Binding.Extension, ex);
                next++;
            }
        }
    }

    private Task<int> WriteAsync(PbxDbContext db, Binding binding, bool remove, CancellationToken cancellationToken)
    {
        if (remove)
        {
            // This node's leave, or another node expiring this one, may delete the row at any moment: a row already gone
            // is a delete done, not a failure.
            return db.Registrations.Where(r => r.Id == binding.Id).ExecuteDeleteAsync(cancellationToken);
        }

        // One statement, no read first: the row may be gone (expired by another node that judged this one dead) while the
        // binding is still live here, and then it is written again as a new row.
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO registrations (id, tenant_id, extension_id, device_id, contact_uri, source_address, user_agent, registered_at, expires_at, switch_node)
            VALUES ({binding.Id}, {binding.TenantId}, {binding.ExtensionId}, {binding.DeviceId}, {binding.ContactUri}, {binding.SourceAddress},
                    {binding.UserAgent}, {binding.RegisteredAt}, {binding.ExpiresAt}, {switchNode})
            ON CONFLICT (id) DO UPDATE SET
                tenant_id = excluded.tenant_id, extension_id = excluded.extension_id, device_id = excluded.device_id,
                contact_uri = excluded.contact_uri, source_address = excluded.source_address, user_agent = excluded.user_agent,
                registered_at = excluded.registered_at, expires_at = excluded.expires_at
            """,
            cancellationToken);
    }
}
