using System.Text;
using System.Text.Json;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Media;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// Walks a tenant's manifest chain in order and names every recording that is missing (file or row), altered (audio,
/// manifest or signature) or out of order (its previous-manifest hash is not its predecessor's). Every file is read and
/// authenticated segment by segment; nothing decrypted is written anywhere.
/// </summary>
public sealed class RecordingVerifier(string recordingsDirectory, KeyProtector protector)
{
    public async Task<RecordingVerification> VerifyAsync(PbxDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var chain = await db.Recordings.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.ChainIndex != null)
            .OrderBy(r => r.ChainIndex)
            .ToListAsync(cancellationToken);
        var keys = await db.RecordingSigningKeys.AsNoTracking().ToDictionaryAsync(k => k.Id, k => k.PublicKey, cancellationToken);
        var findings = new List<RecordingFinding>();
        var deleted = new List<RecordingDeletion>();
        long expected = 1;
        string? previousHash = null;
        foreach (var recording in chain)
        {
            var index = recording.ChainIndex!.Value;
            for (; expected < index; expected++)
            {
                findings.Add(new RecordingFinding(expected, null, RecordingProblem.Missing, "the recording's row is gone from the chain"));
            }

            expected = index + 1;
            if (CheckManifest(recording, keys) is { } altered)
            {
                findings.Add(new RecordingFinding(index, recording.Id, RecordingProblem.Altered, altered));
            }
            else if (recording.PreviousManifestSha256 != previousHash && index > 1 && !findings.Any(f => f.ChainIndex == index - 1 && f.RecordingId is null))
            {
                findings.Add(new RecordingFinding(index, recording.Id, RecordingProblem.OutOfOrder, "its previous-manifest hash is not the manifest before it"));
            }
            else if (recording.Status == RecordingStatus.Deleted)
            {
                deleted.Add(new RecordingDeletion(index, recording.Id, recording.DeletedAt ?? default));
            }
            else if (CheckAudio(recording) is { } audio)
            {
                findings.Add(audio);
            }

            previousHash = recording.ManifestSha256;
        }

        return new RecordingVerification(tenantId, chain.Count, findings) { Deleted = deleted };
    }

    /// <summary>One recording on its own (before it is played): its signed manifest and its audio; null when both hold.</summary>
    public async Task<RecordingFinding?> CheckAsync(PbxDbContext db, Recording recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(recording);
        var keys = await db.RecordingSigningKeys.AsNoTracking().Where(k => k.Id == recording.SigningKeyId)
            .ToDictionaryAsync(k => k.Id, k => k.PublicKey, cancellationToken);
        return CheckManifest(recording, keys) is { } altered
            ? new RecordingFinding(recording.ChainIndex ?? 0, recording.Id, RecordingProblem.Altered, altered)
            : CheckAudio(recording);
    }

    /// <summary>The decrypted WAV of a recording (seekable; segments are authenticated as they are read). Dispose the reader after the stream.</summary>
    public (SealedAudioReader Reader, Stream Wav) OpenWav(Recording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var key = protector.Unprotect(recording.WrappedDataKey, KeyPurpose.Recording(recording.Id));
        try
        {
            var reader = SealedAudioReader.Open(Path.Combine(recordingsDirectory, recording.StoragePath), key);
            return (reader, reader.OpenWav());
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }

    private static string? CheckManifest(Recording recording, Dictionary<Guid, byte[]> keys)
    {
        if (recording.Manifest is null || recording.ManifestSignature is null || recording.SigningKeyId is not { } keyId)
        {
            return "it has no signed manifest";
        }

        if (RecordingManifest.Sha256Hex(recording.Manifest) != recording.ManifestSha256)
        {
            return "its manifest does not match the manifest hash on record";
        }

        if (!keys.TryGetValue(keyId, out var publicKey) || !RecordingSigner.Verify(publicKey, Encoding.UTF8.GetBytes(recording.Manifest), recording.ManifestSignature))
        {
            return "its manifest's signature does not verify";
        }

        // The row is only an index: what counts is what the signed manifest says.
        using var signed = JsonDocument.Parse(recording.Manifest);
        var root = signed.RootElement;
        var previous = root.GetProperty("previousManifestSha256");
        return root.GetProperty("chainIndex").GetInt64() != recording.ChainIndex
            || (previous.ValueKind == JsonValueKind.Null ? null : previous.GetString()) != recording.PreviousManifestSha256
            || root.GetProperty("audio").GetProperty("sha256").GetString() != recording.AudioSha256
            || root.GetProperty("recordingId").GetGuid() != recording.Id
            ? "its row does not say what its signed manifest says"
            : null;
    }

    private RecordingFinding? CheckAudio(Recording recording)
    {
        var path = Path.Combine(recordingsDirectory, recording.StoragePath);
        if (!File.Exists(path))
        {
            return new RecordingFinding(recording.ChainIndex ?? 0, recording.Id, RecordingProblem.Missing, "its audio file is gone");
        }

        var key = protector.Unprotect(recording.WrappedDataKey, KeyPurpose.Recording(recording.Id));
        try
        {
            using var reader = SealedAudioReader.Open(path, key);
            return reader.ComputeSha256Hex() == recording.AudioSha256
                ? null
                : new RecordingFinding(recording.ChainIndex ?? 0, recording.Id, RecordingProblem.Altered, "its audio does not match the signed hash");
        }
        catch (SealedAudioException)
        {
            return new RecordingFinding(recording.ChainIndex ?? 0, recording.Id, RecordingProblem.Altered, "its audio file fails authentication");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }
}
