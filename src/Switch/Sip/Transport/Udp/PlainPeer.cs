using System.Net;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Sip.Transport.Udp;

/// <summary>A named trunk the operator allowed over plain UDP, bound to its configured address and port (no certificate).</summary>
internal sealed record PlainPeer(PeerIdentity Identity, IPEndPoint Remote);
