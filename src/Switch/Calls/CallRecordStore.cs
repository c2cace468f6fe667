using System.Threading.Channels;
using HostedPbx.Data;
using HostedPbx.Data.Calls;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls;

/// <summary>Writes finished calls' records off the signalling path.</summary>
internal sealed class CallRecordStore(IDbContextFactory<PbxDbContext>? contexts, ILogger logger)
{
    private readonly Channel<CallRecord> _records = Channel.CreateUnbounded<CallRecord>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<CallRecord> Pending => _records.Reader;

    public void Write(CallRecord record) => _records.Writer.TryWrite(record);

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
                // Rendered here, off the signalling path, from the facts the record carries.
                record.SecurityStatement = SecurityStatement.Render(record);
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                db.CallRecords.Add(record);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.CallRecordWriteFailed(logger, record.SipCallId, ex);
            }
        }
    }
}
