using System.Security.Cryptography;
using System.Threading.Channels;
using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;
using HostedPbx.Switch.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// Writes recordings' rows off the signalling path, in order: the row when recording starts (status Recording), and at
/// the end the signed manifest chained to the tenant's previous one (<see cref="RecordingChain"/>). At start it seals
/// what a stop left open: recordings of this node still in status Recording are recovered and marked cut short.
/// </summary>
internal sealed class RecordingStore(
    IDbContextFactory<PbxDbContext>? contexts, KeyProtector protector, string directory, string nodeName, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan s_callRecordWait = TimeSpan.FromMilliseconds(100);

    private readonly Channel<RecordingEvent> _events = Channel.CreateUnbounded<RecordingEvent>(new UnboundedChannelOptions { SingleReader = true });
    private RecordingSigner? _signer;

    /// <summary>What is waiting to be written (read directly when there is no database, as in the in-memory tests).</summary>
    public ChannelReader<RecordingEvent> Pending => _events.Reader;

    public void Write(RecordingEvent recordingEvent) => _events.Writer.TryWrite(recordingEvent);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts!.CreateDbContextAsync(cancellationToken);
        _signer = await RecordingSigner.LoadOrCreateAsync(db, protector, time, cancellationToken);
        await RecoverAsync(cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (contexts is null)
        {
            return;
        }

        await foreach (var recordingEvent in _events.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await SaveAsync(recordingEvent, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SwitchLog.RecordingStoreFailed(logger, ex);
            }
        }
    }

    private async Task SaveAsync(RecordingEvent step, CancellationToken cancellationToken)
    {
        var facts = step.Facts;
        await using var db = await contexts!.CreateDbContextAsync(cancellationToken);
        if (step.WrappedDataKey is { } wrapped)
        {
            db.Recordings.Add(new HostedPbx.Data.Entities.Recording
            {
                Id = facts.RecordingId,
                TenantId = facts.TenantId,
                CallRecordId = facts.CallId,
                RecordingPolicyId = facts.Verdict.PolicyId,
                StoragePath = facts.StoragePath,
                WrappedDataKey = wrapped,
                StartedAt = facts.StartedAt,
            });
            await InsertAfterCallRecordAsync(db, cancellationToken);
            return;
        }

        if (step.Failed || step.Summary is null)
        {
            await db.Recordings.Where(r => r.Id == facts.RecordingId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecordingStatus.Failed).SetProperty(r => r.EndedAt, step.EndedAt), cancellationToken);
            return;
        }

        var manifest = await RecordingChain.AppendAsync(db, _signer!, facts.RecordingId, _ => Manifest(facts, step.Summary, step.EndedAt!.Value, step.Pauses ?? [], step.DroppedMs), cancellationToken);
        SwitchLog.RecordingCompleted(logger, facts.RecordingId, manifest.DurationMs, manifest.ChainIndex);
    }

    /// <summary>The call's own record is written by another queue; the recording's row refers to it, so it may wait for it a little.</summary>
    private async Task InsertAfterCallRecordAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } && attempt < 50)
            {
                await Task.Delay(s_callRecordWait, time, cancellationToken);
            }
        }
    }

    private static RecordingManifest Manifest(RecordingFacts facts, SealedAudioSummary summary, DateTimeOffset endedAt, IReadOnlyList<RecordingPause> pauses, long droppedMs) => new()
    {
        RecordingId = facts.RecordingId,
        TenantId = facts.TenantId,
        CallId = facts.CallId,
        ChainIndex = 0,
        FromParty = facts.FromParty,
        ToParty = facts.ToParty,
        StartedAt = facts.StartedAt,
        EndedAt = endedAt,
        DurationMs = (long)summary.Duration.TotalMilliseconds,
        PolicyId = facts.Verdict.PolicyId,
        PolicyName = facts.Verdict.PolicyName,
        PolicyMode = facts.Verdict.Mode,
        Pauses = pauses,
        AudioSha256 = summary.Sha256Hex,
        AudioSizeBytes = summary.SizeBytes,
        CutShort = summary.CutShort,
        DroppedMs = droppedMs,
        SigningKeyId = Guid.Empty,
    };

    /// <summary>Recordings of this node's calls that a stop left open: sealed at their last whole segment, chained, marked cut short.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts!.CreateDbContextAsync(cancellationToken);
        var open = await db.Recordings.AsNoTracking()
            .Where(r => r.Status == RecordingStatus.Recording && r.CallRecord!.SwitchNode == nodeName)
            .Select(r => new { Recording = r, r.CallRecord!.FromParty, r.CallRecord.ToParty, r.CallRecord.RecordingPolicyId })
            .ToListAsync(cancellationToken);
        var policies = await db.RecordingPolicies.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken);
        foreach (var row in open)
        {
            var recording = row.Recording;
            var policy = recording.RecordingPolicyId is { } id && policies.TryGetValue(id, out var p) ? p : null;
            var verdict = new RecordingVerdict(policy?.Id, policy?.Name, policy?.Mode ?? RecordingMode.Never, true, false);
            var facts = new RecordingFacts(recording.Id, recording.TenantId, recording.CallRecordId, row.FromParty, row.ToParty, recording.StartedAt, verdict, recording.StoragePath);
            var key = protector.Unprotect(recording.WrappedDataKey, KeyPurpose.Recording(recording.Id));
            try
            {
                var summary = SealedAudio.Recover(Path.Combine(directory, recording.StoragePath), key);
                // The file ends where the switch stopped; the call record's end is when the switch noticed.
                var ended = recording.StartedAt + summary.Duration;
                await SaveAsync(new RecordingEvent(facts, Summary: summary, EndedAt: ended), cancellationToken);
                SwitchLog.RecordingRecovered(logger, recording.Id, (long)summary.Duration.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                SwitchLog.RecordingFailed(logger, recording.Id, ex);
                await SaveAsync(new RecordingEvent(facts, EndedAt: time.GetUtcNow(), Failed: true), cancellationToken);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }
}
