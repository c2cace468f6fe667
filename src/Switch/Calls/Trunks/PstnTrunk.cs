using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Calls.Trunks;

/// <summary>
/// One tenant trunk as the switch dials it: its endpoint (the operator carrier's settings or the tenant's own), its
/// channel limit, and the peer it reaches (a carrier shared by tenants is one peer, so its connection is shared too).
/// <paramref name="PlainTransportAllowed"/> is the operator's leave for this named trunk to use plain UDP and RTP (issue 11).
/// </summary>
internal sealed record PstnTrunk(Guid Id, Guid TenantId, string Name, TrunkEndpoint Endpoint, int MaxChannels, PeerTarget Target, bool PlainTransportAllowed = false)
{
    /// <summary>Signalling to this trunk is not TLS.</summary>
    public bool IsPlain => Endpoint.Transport != TrunkTransport.Tls;

    /// <summary>Issue 11: RTP/AVP is offered only to a trunk the operator allowed plain, whose SRTP mode is off.</summary>
    public bool OffersPlainRtp => PlainTransportAllowed && Endpoint.SrtpMode == SrtpMode.Off;

    /// <summary>A plain answer is taken from an allowed trunk whose SRTP mode is not required (off, or preferred and the carrier answered RTP/AVP).</summary>
    public bool AcceptsPlainRtp => PlainTransportAllowed && Endpoint.SrtpMode != SrtpMode.Required;
}
