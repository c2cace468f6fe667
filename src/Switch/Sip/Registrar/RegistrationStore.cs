using System.Threading.Channels;
using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Hosting;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Sip.Registrar;

/// <summary>Mirrors this node's bindings into the registrations table, off the signalling path.</summary>
internal sealed class RegistrationStore(IDbContextFactory<PbxDbContext> contexts, string switchNode, ILogger logger, TimeProvider? time = null)
{
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
        await foreach (var (binding, remove) in _changes.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                // Retried through a failover, in order; keyed by the binding's id, so a retry neither loses nor doubles a row.
                await WriteRetry.UntilWrittenAsync(ct => WriteAsync(binding, remove, ct), "registration", time ?? TimeProvider.System, logger, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.RegistrationWriteFailed(logger, binding.Extension, ex);
            }
        }
    }

    private async Task WriteAsync(Binding binding, bool remove, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (remove)
        {
            // No read first: this node's leave, or another node expiring this one, may delete the row at any moment,
            // and a row already gone is a delete done, not a failure (a tracked delete of it failed on a graceful stop).
            await db.Registrations.Where(r => r.Id == binding.Id).ExecuteDeleteAsync(cancellationToken);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var row = await db.Registrations.FirstOrDefaultAsync(r => r.Id == binding.Id, cancellationToken);
            if (row is null)
            {
                row = new Registration { Id = binding.Id, ContactUri = binding.ContactUri, SourceAddress = binding.SourceAddress, SwitchNode = switchNode };
                db.Registrations.Add(row);
            }

            row.TenantId = binding.TenantId;
            row.ExtensionId = binding.ExtensionId;
            row.DeviceId = binding.DeviceId;
            row.ContactUri = binding.ContactUri;
            row.SourceAddress = binding.SourceAddress;
            row.UserAgent = binding.UserAgent;
            row.RegisteredAt = binding.RegisteredAt;
            row.ExpiresAt = binding.ExpiresAt;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // The row went between the read and the update (expired by another node): the binding is still live
                // here, so it is written again as a new row.
                db.ChangeTracker.Clear();
            }
        }
    }
}
