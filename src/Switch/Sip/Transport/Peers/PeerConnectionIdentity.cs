using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Switch.Sip.Transport.Peers;

/// <summary>
/// The peer behind one connection, held to the same rule as a handset's (DESIGN "The call model": identity is checked on
/// every request): the certificate's expiry on every request, and with each new peer directory that the carrier, trunk or
/// node is still known (and still pinned to this certificate). A refusal is final: the connection is being closed.
/// </summary>
internal sealed class PeerConnectionIdentity : IDisposable
{
    private readonly X509Certificate2? _leaf;
    private readonly X509Certificate2[] _presented;
    private readonly PeerAuthenticator? _authenticator;
    private readonly Func<string?>? _addressStillHolds;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _notAfter;
    private readonly Lock _gate = new();
    private PeerDirectory? _checkedAgainst;
    private string? _refusal;

    public PeerConnectionIdentity(
        X509Certificate2 leaf, X509Certificate2[] presented, PeerIdentity proven, PeerDirectory? checkedAgainst, PeerAuthenticator authenticator, TimeProvider time)
    {
        _leaf = leaf;
        _presented = presented;
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
        _presented = [];
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

    public void Dispose()
    {
        _leaf?.Dispose();
        foreach (var certificate in _presented)
        {
            certificate.Dispose();
        }
    }
}
