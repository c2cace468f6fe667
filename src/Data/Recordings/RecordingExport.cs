using System.Globalization;
using System.IO.Compression;
using System.Text;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// An export of one or many recordings (issue 10 item 4) as a ZIP a third party can check with openssl and sha256sum
/// alone: each recording's decrypted WAV, its signed manifest (the exact signed bytes) and signature, the chain segment
/// from the first to the last exported link (every manifest and signature in between, so a gap or an edit shows), the
/// platform's public key (PEM), and a README.txt with the exact commands. Only recordings that pass verification are
/// exported; the decrypted audio goes straight from the sealed file into the ZIP, never to disk.
/// </summary>
public sealed class RecordingExport(RecordingVerifier verifier)
{
    /// <summary>Bytes of the WAV header before the PCM the manifest's audio hash covers.</summary>
    public const int WavHeaderLength = 44;

    /// <summary>At most this many recordings in one export.</summary>
    public const int MaxRecordings = 500;

    /// <summary>What an export will hold, or why it cannot be made.</summary>
    public sealed record Plan(IReadOnlyList<Recording> Recordings, IReadOnlyList<Recording> ChainSegment,
        IReadOnlyDictionary<Guid, byte[]> PublicKeys, IReadOnlyList<RecordingFinding> Failures)
    {
        public bool IsEmpty => Recordings.Count == 0;
    }

    /// <summary>Loads the tenant's completed recordings among <paramref name="ids"/> and checks each; unknown ids are left out.</summary>
    public async Task<Plan> PlanAsync(PbxDbContext db, Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ids);
        var recordings = await db.Recordings.AsNoTracking().ForTenant(tenantId)
            .Where(r => ids.Contains(r.Id) && r.Status == RecordingStatus.Complete && r.ChainIndex != null)
            .OrderBy(r => r.ChainIndex).ToListAsync(cancellationToken);
        if (recordings.Count == 0)
        {
            return new Plan([], [], new Dictionary<Guid, byte[]>(), []);
        }

        var failures = new List<RecordingFinding>();
        foreach (var recording in recordings)
        {
            if (await verifier.CheckAsync(db, recording, cancellationToken) is { } finding)
            {
                failures.Add(finding);
            }
        }

        long first = recordings[0].ChainIndex!.Value, last = recordings[^1].ChainIndex!.Value;
        var segment = await db.Recordings.AsNoTracking().ForTenant(tenantId)
            .Where(r => r.ChainIndex >= first && r.ChainIndex <= last && r.Manifest != null)
            .OrderBy(r => r.ChainIndex).ToListAsync(cancellationToken);
        var keyIds = segment.Select(r => r.SigningKeyId).OfType<Guid>().Distinct().ToList();
        var keys = await db.RecordingSigningKeys.AsNoTracking().Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.PublicKey, cancellationToken);
        return new Plan(recordings, segment, keys, failures);
    }

    /// <summary>Writes the ZIP of a plan without failures (synchronously: ZIP entries are written in order into <paramref name="output"/>).</summary>
    public void Write(Plan plan, Stream output)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Failures.Count > 0)
        {
            throw new InvalidOperationException("An export is never made of recordings that fail verification.");
        }

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (keyId, publicKey) in plan.PublicKeys)
        {
            AddText(zip, KeyFileName(plan, keyId), RecordingSigner.PublicKeyPem(publicKey));
        }

        foreach (var recording in plan.Recordings)
        {
            AddBytes(zip, $"{recording.Id:D}.json", Encoding.UTF8.GetBytes(recording.Manifest!));
            AddBytes(zip, $"{recording.Id:D}.sig", recording.ManifestSignature!);
            var (reader, wav) = verifier.OpenWav(recording);
            using (reader)
            using (wav)
            using (var entry = zip.CreateEntry($"{recording.Id:D}.wav", CompressionLevel.Fastest).Open())
            {
                wav.CopyTo(entry);
            }
        }

        foreach (var link in plan.ChainSegment)
        {
            var name = ChainName(link);
            AddBytes(zip, $"{name}.json", Encoding.UTF8.GetBytes(link.Manifest!));
            AddBytes(zip, $"{name}.sig", link.ManifestSignature!);
        }

        AddText(zip, "README.txt", Readme(plan));
    }

    private static string KeyFileName(Plan plan, Guid keyId) => plan.PublicKeys.Count == 1 ? "pub.pem" : $"pub-{keyId:N}.pem";

    private static string ChainName(Recording link) => string.Create(CultureInfo.InvariantCulture, $"chain/{link.ChainIndex:D6}-{link.Id:D}");

    private static string Readme(Plan plan)
    {
        var text = new StringBuilder();
        text.AppendLine("HostedPbx recording export").AppendLine()
            .AppendLine("Each recording is three files: <id>.wav (the decrypted audio), <id>.json (its manifest, exactly the bytes")
            .AppendLine("that were signed) and <id>.sig (the ECDSA P-256 signature over SHA-256 of <id>.json, DER). pub.pem is the")
            .AppendLine("platform's public key. The audio hash in a manifest (\"audio\": {\"sha256\"}) covers the PCM samples, that is")
            .AppendLine(CultureInfo.InvariantCulture, $"the WAV file without its {WavHeaderLength}-byte header.").AppendLine()
            .AppendLine("Check every recording with these commands (openssl prints \"Verified OK\"; the sha256sum line must print")
            .AppendLine("the hash shown after it):").AppendLine();
        foreach (var recording in plan.Recordings)
        {
            var key = KeyFileName(plan, recording.SigningKeyId!.Value);
            text.AppendLine(CultureInfo.InvariantCulture, $"openssl dgst -sha256 -verify {key} -signature {recording.Id:D}.sig {recording.Id:D}.json")
                .AppendLine(CultureInfo.InvariantCulture, $"tail -c +{WavHeaderLength + 1} {recording.Id:D}.wav | sha256sum    # {recording.AudioSha256}")
                .AppendLine();
        }

        text.AppendLine("The chain: chain/ holds every manifest of this tenant from the first to the last exported one, in chain")
            .AppendLine("order, each signed. Each manifest's \"previousManifestSha256\" is the SHA-256 of the manifest before it, so")
            .AppendLine("a deleted, altered or reordered recording breaks the chain. Check each link and its hash:").AppendLine();
        foreach (var link in plan.ChainSegment)
        {
            var name = ChainName(link);
            text.AppendLine(CultureInfo.InvariantCulture, $"openssl dgst -sha256 -verify {KeyFileName(plan, link.SigningKeyId!.Value)} -signature {name}.sig {name}.json")
                .AppendLine(CultureInfo.InvariantCulture, $"sha256sum {name}.json    # {link.ManifestSha256}");
        }

        return text.ToString();
    }

    private static void AddText(ZipArchive zip, string name, string text) => AddBytes(zip, name, Encoding.UTF8.GetBytes(text));

    private static void AddBytes(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }
}
