using System.Diagnostics.CodeAnalysis;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>The outcome of checking a peer's certificate: an identity, or the reason for the refusal (for the audit only).</summary>
internal sealed record PeerAuthentication(PeerIdentity? Identity, string? Refusal)
{
    [MemberNotNullWhen(true, nameof(Identity))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Identity is not null;

    public static PeerAuthentication Admitted(PeerIdentity identity) => new(identity, null);

    public static PeerAuthentication Refused(string reason) => new(null, reason);
}
