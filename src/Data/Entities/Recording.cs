namespace HostedPbx.Data.Entities;

/// <summary>
/// Metadata of a recorded call; the audio lives encrypted in a file. Manifests form a hash chain per tenant
/// (each names the previous one's hash), so a deletion or an edit shows.
/// </summary>
public class Recording : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid CallRecordId { get; set; }
    public CallRecord? CallRecord { get; set; }
    public Guid? RecordingPolicyId { get; set; }
    /// <summary>Path relative to the recordings root.</summary>
    public required string StoragePath { get; set; }
    public long SizeBytes { get; set; }
    public int DurationMs { get; set; }
    /// <summary>The file's AES-256-GCM data key, wrapped by the master key.</summary>
    public required byte[] WrappedDataKey { get; set; }
    public string? AudioSha256 { get; set; }
    public string? ManifestSha256 { get; set; }
    public string? PreviousManifestSha256 { get; set; }
    public RecordingStatus Status { get; set; } = RecordingStatus.Recording;
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    /// <summary>1, 2, 3… per tenant in the order the manifests were chained; null until the manifest is written.</summary>
    public long? ChainIndex { get; set; }
    /// <summary>The signed manifest, exactly the bytes (UTF-8 JSON) its hash and signature cover.</summary>
    public string? Manifest { get; set; }
    /// <summary>ECDSA P-256 over SHA-256 of <see cref="Manifest"/>, DER (RFC 3279), as <c>openssl dgst -verify</c> reads it.</summary>
    public byte[]? ManifestSignature { get; set; }
    public Guid? SigningKeyId { get; set; }
    /// <summary>The switch stopped while recording: the file ends at its last whole segment.</summary>
    public bool CutShort { get; set; }
    /// <summary>Audio lost because the writer fell behind (slow disk), kept in the timeline as silence.</summary>
    public int DroppedMs { get; set; }
}
