using HostedPbx.Data.Media;
using HostedPbx.Data.Recordings;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>A recording's step for the store to write, in order: started (with its wrapped key), completed (with its file's summary) or failed.</summary>
internal sealed record RecordingEvent(
    RecordingFacts Facts,
    byte[]? WrappedDataKey = null,
    SealedAudioSummary? Summary = null,
    DateTimeOffset? EndedAt = null,
    IReadOnlyList<RecordingPause>? Pauses = null,
    long DroppedMs = 0,
    bool Failed = false);
