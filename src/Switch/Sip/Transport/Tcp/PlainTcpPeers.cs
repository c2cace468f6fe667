using System.Net;
using HostedPbx.Switch.Sip.Transport.Udp;

namespace HostedPbx.Switch.Sip.Transport.Tcp;

/// <summary>
/// The plain TCP trunks of one directory: by id, to connect to each at its address; by IP address, to tell whose an
/// accepted connection is (its source port is ephemeral, so the address alone names the trunk).
/// </summary>
internal sealed record PlainTcpPeers(IReadOnlyDictionary<Guid, PlainPeer> ById, IReadOnlyDictionary<IPAddress, PlainPeer> ByAddress)
{
    public static PlainTcpPeers Of(IEnumerable<PlainPeer> peers)
    {
        Dictionary<Guid, PlainPeer> byId = [];
        Dictionary<IPAddress, PlainPeer> byAddress = [];
        foreach (var peer in peers)
        {
            byId.TryAdd(peer.Identity.PeerId, peer);
            // Two trunks at one address cannot be told apart by their connections: the first one named keeps it.
            byAddress.TryAdd(peer.Remote.Address, peer);
        }

        return new PlainTcpPeers(byId, byAddress);
    }
}
