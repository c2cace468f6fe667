using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;

namespace HostedPbx.Data.Entities;

/// <summary>
/// A CA whose device certificates the platform accepts: the platform's own root and device issuer, or a vendor's
/// factory CA imported by the operator together with where that vendor puts the MAC. Platform-wide, not per tenant.
/// </summary>
public class TrustAnchor
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public TrustAnchorKind Kind { get; set; }
    public DeviceVendor? Vendor { get; set; }
    public required string Name { get; set; }
    public required byte[] CertificateDer { get; set; }
    public required string Subject { get; set; }
    /// <summary>SHA-256 of the DER, lowercase hex.</summary>
    public required string Fingerprint { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public MacLocation MacLocation { get; set; } = MacLocation.SanUri;
    /// <summary>
    /// For a vendor anchor, the MAC prefixes it may vouch for (its vendor's OUIs, or longer MA-M/MA-S blocks), each 6 to
    /// 11 lowercase hex digits; empty means every MAC of its vendor.
    /// </summary>
    public List<string> MacPrefixes { get; set; } = [];
    /// <summary>The platform's own CA keys, encrypted under the configured master key; null for vendor anchors.</summary>
    public byte[]? ProtectedPrivateKey { get; set; }
    public Guid? ParentId { get; set; }
    public TrustAnchor? Parent { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An anchor for a CA certificate, its MAC in the SAN URI (RFC 9039) unless the caller says otherwise.</summary>
    public static TrustAnchor For(X509Certificate2 certificate, TrustAnchorKind kind, string name, DateTimeOffset now) => new()
    {
        Kind = kind, Name = name, CertificateDer = certificate.RawData, Subject = certificate.Subject,
        Fingerprint = CertificateIdentity.Sha256Fingerprint(certificate), NotBefore = certificate.NotBefore.ToUniversalTime(),
        NotAfter = certificate.NotAfter.ToUniversalTime(), MacLocation = MacLocation.SanUri, CreatedAt = now,
    };

    /// <summary>This CA's certificate and, when loaded, its parent's: the chain a certificate it issued is served with.</summary>
    public IEnumerable<X509Certificate2> LoadChain() =>
        new[] { CertificateDer, Parent?.CertificateDer }.OfType<byte[]>().Select(X509CertificateLoader.LoadCertificate);
}
