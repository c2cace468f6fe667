using HostedPbx.Data.Recordings;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>What a recording's row and manifest say about its call, fixed when recording starts.</summary>
internal sealed record RecordingFacts(
    Guid RecordingId, Guid TenantId, Guid CallId, string FromParty, string ToParty, DateTimeOffset StartedAt, RecordingVerdict Verdict, string StoragePath);
