namespace HostedPbx.Data.Recordings;

/// <summary>One problem in a tenant's chain; <see cref="RecordingId"/> is null for a row that is gone altogether.</summary>
public sealed record RecordingFinding(long ChainIndex, Guid? RecordingId, RecordingProblem Problem, string Detail);
