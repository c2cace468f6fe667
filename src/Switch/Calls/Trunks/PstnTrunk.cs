using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// One tenant trunk as the switch dials it: its endpoint (the operator carrier's settings or the tenant's own), its
/// channel limit, and the peer it reaches (a carrier shared by tenants is one peer, so its connection is shared too).
/// </summary>
internal sealed record PstnTrunk(Guid Id, Guid TenantId, string Name, TrunkEndpoint Endpoint, int MaxChannels, PeerTarget Target);
