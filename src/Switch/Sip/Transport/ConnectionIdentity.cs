using System.Security.Cryptography.X509Certificates;
using HostedPbx.Switch.Devices;

namespace HostedPbx.Switch.Sip.Transport;

/// <summary>
/// The device behind one connection, proven again whenever the directory changes (DESIGN "Identity of a handset" step 7):
/// the client certificate presented at the handshake is kept and re-checked by the same <see cref="DeviceAuthenticator"/>
/// against each new snapshot, so a revoked certificate, a disabled device or a suspended tenant stops the connection, and
/// the device's lines are always the current ones. Between snapshots only the certificates' expiry is checked.
/// The certificates are kept as their DER bytes and parsed only for a re-check: a parsed certificate costs each of
/// thousands of idle connections a few KiB of OpenSSL objects for what a directory change needs once.
/// </summary>
internal sealed class ConnectionIdentity
{
    private readonly byte[] _leaf;
    private readonly byte[][] _presented;
    private readonly DeviceAuthenticator _authenticator;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _notAfter;
    private readonly Lock _gate = new();
    private DeviceDirectory _checkedAgainst;
    private DeviceIdentity _current;
    private string? _refusal;

    /// <param name="leaf">The certificate the handshake accepted; copied, not kept.</param>
    /// <param name="presented">The other certificates the client sent; copied, not kept.</param>
    /// <param name="proven">The device the handshake proved.</param>
    /// <param name="checkedAgainst">The directory snapshot it was proven against.</param>
    /// <param name="authenticator">The rule that proves it again.</param>
    /// <param name="time">The clock its expiry is judged by.</param>
    public ConnectionIdentity(
        X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented, DeviceIdentity proven, DeviceDirectory checkedAgainst,
        DeviceAuthenticator authenticator, TimeProvider time)
    {
        _leaf = leaf.RawData;
        _presented = [.. presented.Select(c => c.RawData)];
        _current = proven;
        _checkedAgainst = checkedAgainst;
        _authenticator = authenticator;
        _time = time;
        // The chain the handshake accepted stops being valid when its first certificate expires.
        _notAfter = presented.Append(leaf).Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime()));
    }

    public DeviceIdentity Current => Volatile.Read(ref _current);

    /// <summary>
    /// Null while the device still holds against <paramref name="directory"/>; otherwise why not (for the audit only).
    /// A refusal is final: the connection is being closed.
    /// </summary>
    public string? Check(DeviceDirectory directory)
    {
        lock (_gate)
        {
            if (_refusal is not null)
            {
                return _refusal;
            }

            if (_time.GetUtcNow() >= _notAfter)
            {
                return _refusal = "certificate expired during the connection";
            }

            if (ReferenceEquals(directory, _checkedAgainst))
            {
                return null;
            }

            var outcome = Reauthenticate(directory);
            _checkedAgainst = directory;
            if (!outcome.Succeeded)
            {
                return _refusal = outcome.Refusal;
            }

            if (outcome.Identity.DeviceId != _current.DeviceId || outcome.Identity.TenantId != _current.TenantId)
            {
                // The same certificate now names another device record: the connection was proven for the old one.
                return _refusal = "certificate now belongs to another device record";
            }

            Volatile.Write(ref _current, outcome.Identity);
            return null;
        }
    }

    private DeviceAuthentication Reauthenticate(DeviceDirectory directory)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(_leaf);
        var presented = Array.ConvertAll(_presented, X509CertificateLoader.LoadCertificate);
        try
        {
            return _authenticator.Authenticate(leaf, presented, directory);
        }
        finally
        {
            foreach (var certificate in presented)
            {
                certificate.Dispose();
            }
        }
    }
}
