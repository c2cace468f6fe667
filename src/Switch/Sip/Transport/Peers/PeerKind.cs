namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>What is at the far end of a peer connection (a SIP connection whose far end is not a handset).</summary>
internal enum PeerKind
{
    /// <summary>A carrier's SBC: the operator's carrier or a tenant's own.</summary>
    Trunk,

    /// <summary>Another switch node (issue 14).</summary>
    Node,
}
