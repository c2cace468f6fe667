using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>Writes queued audit events to the database in batches.</summary>
internal sealed class SwitchAuditWriter(SwitchAudit audit, IDbContextFactory<PbxDbContext> contexts, ILogger<SwitchAuditWriter> logger, TimeProvider? time = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEvent>();
        while (await audit.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < 100 && audit.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                // Retried through a failover; the batch is one transaction, keyed by the events' own ids.
                await WriteRetry.UntilWrittenAsync(ct => WriteAsync(batch, ct), "audit events", time ?? TimeProvider.System, logger, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.AuditWriteFailed(logger, batch.Count, ex);
            }

            batch.Clear();
        }
    }

    private async Task WriteAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditEvents.AddRange(batch);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_audit_events" })
        {
            // Insert if absent: the batch commits whole or not at all, so one of its ids on record means an earlier
            // attempt, whose answer a failover cut off, wrote all of it. (The switch may append, not read, the audit.)
        }
    }
}
