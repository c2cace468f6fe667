using System.Net;
using HostedPbx.Data.Entities;
using HostedPbx.Switch.Sip.Transport.Peers;

namespace HostedPbx.Switch.Sip.Transport.Udp;

/// <summary>
/// A named trunk the operator allowed over plain UDP or TCP, bound to its configured address and port (no certificate):
/// a UDP trunk is a flow of the plain-trunk socket, a TCP one a connection of the plain-trunk listener.
/// </summary>
internal sealed record PlainPeer(PeerIdentity Identity, IPEndPoint Remote, TrunkTransport Transport = TrunkTransport.Udp);
