namespace HostedPbx.Data.Entities;

/// <summary>
/// A revoked device certificate, kept platform-wide and apart from the device: deleting the device (or its tenant)
/// deletes its certificates, but not their revocations, which stay on the CRL and keep the certificate refused for as
/// long as it could be valid. Written by the database itself when a device certificate is revoked (see the migration
/// <c>RevocationsOutliveDevices</c>); the application's roles may only read it.
/// </summary>
public class CertificateRevocation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid IssuerId { get; set; }
    public TrustAnchor? Issuer { get; set; }
    /// <summary>Serial number, lowercase hex.</summary>
    public required string Serial { get; set; }
    /// <summary>SHA-256 of the certificate's DER, lowercase hex.</summary>
    public required string Fingerprint { get; set; }
    public required string Mac { get; set; }
    public DateTimeOffset RevokedAt { get; set; }
    public RevocationReason? Reason { get; set; }
    /// <summary>Until when the certificate could be valid, and so until when the revocation matters.</summary>
    public DateTimeOffset NotAfter { get; set; }
}
