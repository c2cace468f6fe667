using System.Security.Cryptography.X509Certificates;

namespace HostedPbx.Data.Certificates;

/// <summary>An immutable in-memory <see cref="IRevocationLookup"/> keyed by issuer SHA-256 fingerprint and serial number.</summary>
public sealed class RevokedSerials : IRevocationLookup
{
    private readonly HashSet<(string Issuer, string Serial)> _entries;

    public RevokedSerials(IEnumerable<(string IssuerFingerprint, string SerialNumber)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries.Select(e => (e.IssuerFingerprint.ToLowerInvariant(), e.SerialNumber.ToLowerInvariant()))];
    }

    public static RevokedSerials None { get; } = new([]);

    public bool IsRevoked(X509Certificate2 issuer, string serialNumber)
    {
        ArgumentNullException.ThrowIfNull(serialNumber);
        return _entries.Contains((CertificateIdentity.Sha256Fingerprint(issuer), serialNumber.ToLowerInvariant()));
    }
}
