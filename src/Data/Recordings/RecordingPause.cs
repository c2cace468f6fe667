namespace HostedPbx.Data.Recordings;

/// <summary>A PCI pause: the gap kept as silence from <see cref="Start"/> to <see cref="End"/>, and who asked for it.</summary>
public sealed record RecordingPause(TimeSpan Start, TimeSpan End, string PausedBy);
