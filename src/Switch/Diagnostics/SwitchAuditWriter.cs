using HostedPbx.Data;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Diagnostics;

/// <summary>Writes queued audit events to the database in batches.</summary>
internal sealed class SwitchAuditWriter(SwitchAudit audit, IDbContextFactory<PbxDbContext> contexts, ILogger<SwitchAuditWriter> logger) : BackgroundService
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
                await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                db.AuditEvents.AddRange(batch);
                await db.SaveChangesAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.AuditWriteFailed(logger, batch.Count, ex);
            }

            batch.Clear();
        }
    }
}
