using System.Threading.Channels;
using HostedPbx.Data;
using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Hosting;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls;

/// <summary>Writes calls' records off the signalling path, in order, retrying each through a database outage or failover.</summary>
internal sealed class CallRecordStore(IDbContextFactory<PbxDbContext>? contexts, string nodeName, TimeProvider time, ILogger logger)
{
    private readonly Channel<CallRecord> _records = Channel.CreateUnbounded<CallRecord>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<CallRecord> Pending => _records.Reader;

    /// <summary>Counts calls and spans them (issue 14 item 3); none in unit tests.</summary>
    public SwitchMetrics? Metrics { get; init; }

    public void Write(CallRecord record)
    {
        Metrics?.OnRecord(record);
        _records.Writer.TryWrite(record);
    }

    /// <summary>No more records (a graceful stop, issue 14): <see cref="RunAsync"/> ends once it has written the queued ones.</summary>
    public void Complete() => _records.Writer.TryComplete();

    /// <summary>
    /// At start: the calls this node still had in progress when it stopped are over (their handsets' connections went
    /// with it). They end as failed, with their statement, so the portal does not show them as active for ever.
    /// </summary>
    public async Task CloseAbandonedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts!.CreateDbContextAsync(cancellationToken);
        var abandoned = await db.CallRecords.Include(c => c.Legs).Where(c => c.SwitchNode == nodeName && c.EndedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var call in abandoned)
        {
            call.EndedAt = time.GetUtcNow();
            call.Outcome = CallOutcome.Failed;
            call.SecurityStatement = SecurityStatement.Render(call);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (contexts is null)
        {
            return;
        }

        await foreach (var record in _records.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                // Through a failover the queue waits and the same write is tried again; keyed by the record's own
                // id (insert if absent, else update), so none is lost or doubled.
                await WriteRetry.UntilWrittenAsync(ct => SaveAsync(record, ct), "call record", time, logger, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.CallRecordWriteFailed(logger, record.SipCallId, ex);
            }
        }
    }

    /// <summary>
    /// A call is written when it starts ringing, again when answered, and last when it ends; each write replaces the
    /// one before, in order (one reader), so the record is never older than the newest state that was written.
    /// </summary>
    private async Task SaveAsync(CallRecord record, CancellationToken cancellationToken)
    {
        record.SwitchNode = nodeName;
        if (record.EndedAt is not null)
        {
            // Rendered here, off the signalling path, from the facts the final record carries.
            record.SecurityStatement = SecurityStatement.Render(record);
        }

        await using var db = await contexts!.CreateDbContextAsync(cancellationToken);
        var stored = await db.CallRecords.Include(c => c.Legs).SingleOrDefaultAsync(c => c.Id == record.Id, cancellationToken);
        if (stored is null)
        {
            db.CallRecords.Add(record);
        }
        else
        {
            db.Entry(stored).CurrentValues.SetValues(record);
            foreach (var leg in record.Legs)
            {
                if (stored.Legs.FirstOrDefault(l => l.Position == leg.Position) is { } known)
                {
                    leg.Id = known.Id;
                    db.Entry(known).CurrentValues.SetValues(leg);
                }
                else
                {
                    // Added explicitly: found through the navigation, a leg with its key set would be taken for an existing row.
                    db.CallLegs.Add(leg);
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
