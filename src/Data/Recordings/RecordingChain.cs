using System.Text;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// Appends a finished recording to its tenant's manifest chain: under a transaction-scoped advisory lock per tenant,
/// so two recordings ending at once never both take the same previous manifest, it takes the next chain index and
/// the previous manifest's hash, writes the signed manifest and marks the recording complete.
/// </summary>
public static class RecordingChain
{
    /// <summary>Appends recording <paramref name="recordingId"/> (a row in status Recording whose file is complete); <paramref name="finish"/> fills the manifest's facts, the chain fields are set here.</summary>
    public static async Task<RecordingManifest> AppendAsync(
        PbxDbContext db, RecordingSigner signer, Guid recordingId, Func<Recording, RecordingManifest> finish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(finish);
        // One transaction, run whole again by the failover strategy when the database goes away mid-way.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var recording = await db.Recordings.SingleAsync(r => r.Id == recordingId, cancellationToken);
            // One chain per tenant: the lock key is derived from the tenant id and released with the transaction.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({recording.TenantId.ToString("D")}, 10))", cancellationToken);
            var previous = await db.Recordings.AsNoTracking()
                .Where(r => r.TenantId == recording.TenantId && r.ChainIndex != null)
                .OrderByDescending(r => r.ChainIndex)
                .Select(r => new { r.ChainIndex, r.ManifestSha256 })
                .FirstOrDefaultAsync(cancellationToken);
            var manifest = finish(recording) with
            {
                ChainIndex = (previous?.ChainIndex ?? 0) + 1,
                PreviousManifestSha256 = previous?.ManifestSha256,
                SigningKeyId = signer.KeyId,
            };
            var bytes = manifest.ToUtf8Json();
            var text = Encoding.UTF8.GetString(bytes);
            recording.ChainIndex = manifest.ChainIndex;
            recording.PreviousManifestSha256 = manifest.PreviousManifestSha256;
            recording.Manifest = text;
            recording.ManifestSha256 = RecordingManifest.Sha256Hex(text);
            recording.ManifestSignature = signer.Sign(bytes);
            recording.SigningKeyId = signer.KeyId;
            recording.AudioSha256 = manifest.AudioSha256;
            recording.SizeBytes = manifest.AudioSizeBytes;
            recording.DurationMs = (int)Math.Min(int.MaxValue, manifest.DurationMs);
            recording.EndedAt = manifest.EndedAt;
            recording.CutShort = manifest.CutShort;
            recording.DroppedMs = (int)Math.Min(int.MaxValue, manifest.DroppedMs);
            recording.Status = RecordingStatus.Complete;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return manifest;
        });
    }
}
