namespace HostedPbx.Data.Recordings;

/// <summary>The outcome of walking one tenant's chain: how many links were checked and every problem found.</summary>
public sealed record RecordingVerification(Guid TenantId, int Checked, IReadOnlyList<RecordingFinding> Findings)
{
    public bool Intact => Findings.Count == 0;

    /// <summary>Links whose audio was deleted under retention: not a problem, their signed manifests keep the chain whole.</summary>
    public IReadOnlyList<RecordingDeletion> Deleted { get; init; } = [];
}
