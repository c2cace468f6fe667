using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Recordings;

/// <summary>A policy as the decision needs it.</summary>
public sealed record RecordingPolicyChoice(Guid Id, string Name, RecordingMode Mode, bool Announce);
