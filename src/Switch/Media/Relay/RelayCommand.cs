namespace HostedPbx.Switch.Media.Relay;

/// <summary>A change a relay thread applies between rounds: watch a session's sockets, or stop watching them.</summary>
internal sealed record RelayCommand(RelaySession Session, TaskCompletionSource? Removed);
