namespace HostedPbx.Data.Entities;

/// <summary>A certificate on record for a device: issued by the platform or a vendor's factory certificate.</summary>
public class DeviceCertificate : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid DeviceId { get; set; }
    public Device? Device { get; set; }
    public Guid IssuerId { get; set; }
    public TrustAnchor? Issuer { get; set; }
    /// <summary>Serial number, lowercase hex.</summary>
    public required string Serial { get; set; }
    /// <summary>SHA-256 of the DER, lowercase hex.</summary>
    public required string Fingerprint { get; set; }
    public required string Subject { get; set; }
    public required string Mac { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public CertificateSource Source { get; set; }
    public required byte[] CertificateDer { get; set; }
    /// <summary>Key of a platform-issued certificate, encrypted, kept only until its one download.</summary>
    public byte[]? ProtectedPrivateKey { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public RevocationReason? RevocationReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// For a platform certificate issued ahead of its predecessor's expiry: the certificate it renews. The device
    /// accepts it beside the enrolled one until the handset first presents it, when it is enrolled in its place.
    /// </summary>
    public Guid? RenewsCertificateId { get; set; }
    public DeviceCertificate? Renews { get; set; }
    /// <summary>When the expiry sweep flagged a vendor certificate that nears its end and that the platform cannot renew.</summary>
    public DateTimeOffset? ExpiryFlaggedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Only an unrevoked, unexpired certificate may become the device's one on record.</summary>
    public bool CanBind(DateTimeOffset now) => !IsRevoked && NotAfter > now;

    public void Revoke(RevocationReason reason, DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return;
        }

        RevokedAt = now;
        RevocationReason = reason;
        ProtectedPrivateKey = null;
    }
}
