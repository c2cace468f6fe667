using System.Diagnostics.CodeAnalysis;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// A connection to a peer, open and proven, or why there is none (for the log, the audit and failover);
/// <paramref name="Unresolved"/> when the peer's name gave no address at all (RFC 3263).
/// </summary>
internal sealed record PeerConnectOutcome(SipConnection? Connection, string? Failure, bool Unresolved = false)
{
    [MemberNotNullWhen(true, nameof(Connection))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Connection is not null;
}
