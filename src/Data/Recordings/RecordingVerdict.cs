using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Recordings;

/// <summary>What <see cref="RecordingDecision"/> decided for one call: the policy that applies, and whether to record from the start.</summary>
/// <param name="PolicyId">The policy that decided (stored with the call); null when the tenant has none.</param>
/// <param name="PolicyName">Its name, for the manifest and the statement.</param>
/// <param name="Mode">Its mode; <see cref="RecordingMode.Never"/> when no policy applies.</param>
/// <param name="RecordNow">Record from the moment the parties are bridged.</param>
/// <param name="Announce">Tell both parties the call may be recorded.</param>
public sealed record RecordingVerdict(Guid? PolicyId, string? PolicyName, RecordingMode Mode, bool RecordNow, bool Announce)
{
    public static RecordingVerdict None { get; } = new(null, null, RecordingMode.Never, false, false);
}
