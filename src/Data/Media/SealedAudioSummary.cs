namespace HostedPbx.Data.Media;

/// <summary>
/// What a sealed file holds once it is complete: how long it plays, the SHA-256 of its PCM (the hash a manifest or a
/// message row records), its size on disk, and whether a crash cut it short before it was completed.
/// </summary>
public sealed record SealedAudioSummary(TimeSpan Duration, string Sha256Hex, long SizeBytes, bool CutShort);
