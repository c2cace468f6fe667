using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// The peer behind one connection, held to the same rule as a handset's (DESIGN "The call model": identity is checked on
/// every request): the certificate's expiry on every request, and with each new peer directory that the carrier, trunk or
/// node is still known (and still pinned to this certificate). A refusal is final: the connection is being closed.
/// </summary>
internal sealed class PeerConnectionIdentity
{
    private readonly PeerAuthenticator? _authenticator;
    private readonly Func<string?>? _addressStillHolds;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _notAfter;
    private readonly Lock _gate = new();
    private PeerDirectory? _checkedAgainst;
    private string? _refusal;

    /// <param name="leaf">The peer's certificate the handshake accepted: only its expiry is kept.</param>
    /// <param name="proven">The carrier, trunk or node it proved to be.</param>
    /// <param name="checkedAgainst">The peer directory it was proven against (null for a connection the switch opened).</param>
    /// <param name="authenticator">The rule that says whether the peer still holds.</param>
    /// <param name="time">The clock its expiry is judged by.</param>
    public PeerConnectionIdentity(
        X509Certificate2 leaf, PeerIdentity proven, PeerDirectory? checkedAgainst, PeerAuthenticator authenticator, TimeProvider time)
    {
        Current = proven;
        _checkedAgainst = checkedAgainst;
        _authenticator = authenticator;
        _time = time;
        _notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
    }

    /// <summary>
    /// A plain trunk's flow (issue 11): no certificate, so the peer is bound to the trunk's configured address alone, and
    /// <paramref name="stillHolds"/> says on every request whether the operator still allows plain transport to that address.
    /// </summary>
    public PeerConnectionIdentity(PeerIdentity bound, Func<string?> stillHolds, TimeProvider time)
    {
        Current = bound;
        _addressStillHolds = stillHolds;
        _time = time;
        _notAfter = DateTimeOffset.MaxValue;
    }

    public PeerIdentity Current { get; }

    /// <summary>Null while the peer still holds against <paramref name="directory"/>; otherwise why not (for the audit only).</summary>
    public string? Check(PeerDirectory directory)
    {
        lock (_gate)
        {
            if (_refusal is not null)
            {
                return _refusal;
            }

            if (_addressStillHolds is not null)
            {
                return _refusal = _addressStillHolds();
            }

            if (_time.GetUtcNow() >= _notAfter)
            {
                return _refusal = "peer certificate expired during the connection";
            }

            if (ReferenceEquals(directory, _checkedAgainst))
            {
                return null;
            }

            _checkedAgainst = directory;
            return _refusal = _authenticator!.StillHolds(Current, directory);
        }
    }
}
