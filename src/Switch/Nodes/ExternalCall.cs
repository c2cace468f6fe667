namespace HostedPbx.Switch.Nodes;

/// <summary>
/// A running outbound call to the telephone network (never an emergency call), as the toll-fraud limits count it: its
/// tenant and when the carrier answered (null while it rings). Each node publishes its own with its heartbeat and reads
/// the other live nodes'.
/// </summary>
internal sealed record ExternalCall(Guid CallId, Guid TenantId, DateTimeOffset? AnsweredAt);
