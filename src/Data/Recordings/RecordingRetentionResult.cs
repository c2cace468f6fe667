namespace HostedPbx.Data.Recordings;

/// <summary>What one retention pass did: recordings deleted, and recordings past retention kept because a legal hold covers them.</summary>
public sealed record RecordingRetentionResult(int Deleted, int Held);
