using System.Globalization;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// Deletes recordings past their tenant's retention (issue 10 item 5), except those a legal hold in force covers (the
/// tenant, an extension that is a party to the call, or the recording itself). A deletion keeps the row as the chain's
/// deletion record (status Deleted, its signed manifest and hashes intact, so the verifier reports "deleted under
/// retention" and not "missing"), destroys the wrapped data key first (what is left of the file can no longer be
/// read), then the file; each deletion is one audit event, written in the same transaction as the row.
/// </summary>
public sealed class RecordingRetention(string recordingsDirectory, TimeProvider time)
{
    public const string ActorName = "recording retention";

    public async Task<RecordingRetentionResult> RunAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow();
        var tenants = await db.Tenants.AsNoTracking()
            .Select(t => new { t.Id, Days = t.Retention == null ? 90 : t.Retention.RecordingDays, Held = t.Retention != null && t.Retention.LegalHold })
            .ToListAsync(cancellationToken);
        int deleted = 0, held = 0;
        foreach (var tenant in tenants)
        {
            var cutoff = now.AddDays(-tenant.Days);
            var due = await db.Recordings.AsNoTracking()
                .Where(r => r.TenantId == tenant.Id && (r.Status == RecordingStatus.Complete || r.Status == RecordingStatus.Failed)
                    && (r.EndedAt ?? r.StartedAt) < cutoff)
                .Select(r => new { r.Id, r.StoragePath, r.CallRecord!.FromParty, r.CallRecord.ToParty })
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                continue;
            }

            var holds = await HoldsAsync(db, tenant.Id, cancellationToken);
            foreach (var recording in due)
            {
                if (tenant.Held || holds.Tenant || holds.Recordings.Contains(recording.Id)
                    || holds.Numbers.Contains(recording.FromParty) || holds.Numbers.Contains(recording.ToParty))
                {
                    held++;
                    continue;
                }

                if (await DeleteAsync(db, tenant.Id, recording.Id, tenant.Days, now, cancellationToken))
                {
                    deleted++;
                    DeleteFile(recording.StoragePath);
                }
            }
        }

        return new RecordingRetentionResult(deleted, held);
    }

    /// <summary>Whether a legal hold in force covers the recording (the API's delete asks this too).</summary>
    public static async Task<bool> IsHeldAsync(PbxDbContext db, Recording recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(recording);
        var holds = await HoldsAsync(db, recording.TenantId, cancellationToken);
        var parties = await db.CallRecords.AsNoTracking().Where(c => c.TenantId == recording.TenantId && c.Id == recording.CallRecordId)
            .Select(c => new { c.FromParty, c.ToParty }).FirstOrDefaultAsync(cancellationToken);
        var tenantHeld = await db.RetentionSettings.AsNoTracking().AnyAsync(s => s.TenantId == recording.TenantId && s.LegalHold, cancellationToken);
        return tenantHeld || holds.Tenant || holds.Recordings.Contains(recording.Id)
            || (parties is not null && (holds.Numbers.Contains(parties.FromParty) || holds.Numbers.Contains(parties.ToParty)));
    }

    private static async Task<(bool Tenant, HashSet<Guid> Recordings, HashSet<string> Numbers)> HoldsAsync(
        PbxDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var inForce = await db.LegalHolds.AsNoTracking().Where(h => h.TenantId == tenantId && h.LiftedAt == null)
            .Select(h => new { h.Scope, h.RecordingId, Number = db.Extensions.Where(e => e.TenantId == tenantId && e.Id == h.ExtensionId).Select(e => e.Number).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return (
            inForce.Any(h => h.Scope == LegalHoldScope.Tenant),
            [.. inForce.Where(h => h.RecordingId is not null).Select(h => h.RecordingId!.Value)],
            new HashSet<string>(inForce.Where(h => h.Number is not null).Select(h => h.Number!), StringComparer.Ordinal));
    }

    // The row and its audit event in one transaction, under the retry strategy; false when another pass got there first.
    private static async Task<bool> DeleteAsync(PbxDbContext db, Guid tenantId, Guid recordingId, int days, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var recording = await db.Recordings.FirstOrDefaultAsync(r => r.TenantId == tenantId && r.Id == recordingId && r.Status != RecordingStatus.Deleted, cancellationToken);
            if (recording is null)
            {
                return false;
            }

            recording.Status = RecordingStatus.Deleted;
            recording.DeletedAt = now;
            recording.WrappedDataKey = [];
            db.AuditEvents.Add(new AuditEvent
            {
                OccurredAt = now, TenantId = tenantId, ActorKind = AuditActorKind.System, ActorName = ActorName,
                Action = "recording.delete", TargetKind = "recording", TargetId = recordingId.ToString("D"), Outcome = AuditOutcome.Success,
                Reason = string.Create(CultureInfo.InvariantCulture, $"past the tenant's retention of {days} days (chain index {recording.ChainIndex?.ToString(CultureInfo.InvariantCulture) ?? "none"})"),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        });

    private void DeleteFile(string storagePath)
    {
        var path = Path.GetFullPath(Path.Combine(recordingsDirectory, storagePath));
        if (path.StartsWith(Path.GetFullPath(recordingsDirectory), StringComparison.Ordinal))
        {
            File.Delete(path);
        }
    }
}
