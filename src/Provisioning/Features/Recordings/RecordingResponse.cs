using System.Linq.Expressions;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Recordings;

/// <summary>A recording as the API shows it: its call's parties and times, its policy, and its place in the chain.</summary>
public sealed record RecordingResponse(
    Guid Id, Guid CallId, string FromParty, string ToParty, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, int DurationMs,
    string Status, Guid? RecordingPolicyId, bool CutShort, long? ChainIndex, string? AudioSha256, string? ManifestSha256)
{
    internal static Expression<Func<Recording, RecordingResponse>> Projection { get; } = r => new RecordingResponse(
        r.Id, r.CallRecordId, r.CallRecord!.FromParty, r.CallRecord.ToParty, r.StartedAt, r.EndedAt, r.DurationMs, r.Status.ToString(),
        r.RecordingPolicyId, r.CutShort, r.ChainIndex, r.AudioSha256, r.ManifestSha256);
}
