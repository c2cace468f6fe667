using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Calls.Trunks.Keepalive;

/// <summary>A trunk's state as this node just found it changed: stored, logged and shown in the API and portal.</summary>
internal sealed record TrunkStateChange(Guid TrunkId, Guid TenantId, TrunkReachability State, DateTimeOffset Since, string Reason);
