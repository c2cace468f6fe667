using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// The platform's CA as stored in the database: a root and a device-issuing intermediate, each a trust anchor row
/// with its key encrypted under the master key. Created once (by the admin tool), then loaded to issue.
/// </summary>
public sealed class PlatformAuthority(CertificateIssuer issuer, KeyProtector protector, TimeProvider time)
{
    /// <summary>Creates the root and the device issuer when they are not on record. The context needs the platform's scope.</summary>
    public async Task<bool> EnsureAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        if (await db.TrustAnchors.AnyAsync(a => a.Kind == TrustAnchorKind.PlatformDeviceIssuer && a.Enabled, cancellationToken))
        {
            return false;
        }

        using var root = issuer.CreateRoot();
        using var deviceCa = issuer.CreateIntermediate(root);
        var rootRow = ToAnchor(root.Certificate, TrustAnchorKind.PlatformRoot, "Platform root");
        rootRow.ProtectedPrivateKey = root.ExportProtectedKey(protector, KeyPurpose.CertificateAuthority(rootRow.Id));
        var deviceRow = ToAnchor(deviceCa.Certificate, TrustAnchorKind.PlatformDeviceIssuer, "Platform device CA");
        deviceRow.ProtectedPrivateKey = deviceCa.ExportProtectedKey(protector, KeyPurpose.CertificateAuthority(deviceRow.Id));
        deviceRow.ParentId = rootRow.Id;
        db.TrustAnchors.AddRange(rootRow, deviceRow);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<CertificateAuthority> LoadRootAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.TrustAnchors.AsNoTracking()
            .SingleAsync(a => a.Kind == TrustAnchorKind.PlatformRoot && a.Enabled, cancellationToken);
        return CertificateAuthority.Load(row.CertificateDer, row.ProtectedPrivateKey, protector, KeyPurpose.CertificateAuthority(row.Id));
    }

    public async Task<(CertificateAuthority Authority, TrustAnchor Row)> LoadDeviceIssuerAsync(PbxDbContext db, CancellationToken cancellationToken)
    {
        var row = await db.TrustAnchors.AsNoTracking().Include(a => a.Parent)
            .SingleAsync(a => a.Kind == TrustAnchorKind.PlatformDeviceIssuer && a.Enabled, cancellationToken);
        var parent = X509CertificateLoader.LoadCertificate(row.Parent!.CertificateDer);
        return (CertificateAuthority.Load(row.CertificateDer, row.ProtectedPrivateKey, protector, KeyPurpose.CertificateAuthority(row.Id), [parent]), row);
    }

    /// <summary>
    /// Issues a certificate for a device and enrols it: it becomes the device's certificate on record, and the one it
    /// replaces is revoked as superseded. The key is kept encrypted until its one download.
    /// </summary>
    public async Task<(DeviceCertificate Row, IssuedCertificate Issued)> IssueDeviceAsync(PbxDbContext db, Device device,
        CertificateKeyAlgorithm? algorithm, CancellationToken cancellationToken)
    {
        var (authority, anchor) = await LoadDeviceIssuerAsync(db, cancellationToken);
        using (authority)
        {
            var issued = issuer.IssueDevice(authority, MacAddress.Parse(device.Mac), algorithm);
            var row = ToDeviceCertificate(issued.Certificate, device, anchor.Id, CertificateSource.Issued);
            row.ProtectedPrivateKey = issued.ExportProtectedKey(protector, KeyPurpose.DeviceCertificate(row.Id));
            await EnrolAsync(db, device, row, cancellationToken);
            return (row, issued);
        }
    }

    /// <summary>
    /// Issues the successor of a device's platform certificate ahead of its expiry, with a fresh key of the same kind.
    /// It is not enrolled: the device accepts it beside <paramref name="current"/> until the handset presents it.
    /// </summary>
    public async Task<DeviceCertificate> RenewDeviceAsync(PbxDbContext db, Device device, DeviceCertificate current,
        CancellationToken cancellationToken)
    {
        var (authority, anchor) = await LoadDeviceIssuerAsync(db, cancellationToken);
        using (authority)
        using (var predecessor = X509CertificateLoader.LoadCertificate(current.CertificateDer))
        using (var issued = issuer.IssueDevice(authority, MacAddress.Parse(device.Mac), KeyAlgorithmOf(predecessor)))
        {
            var row = ToDeviceCertificate(issued.Certificate, device, anchor.Id, CertificateSource.Issued);
            row.RenewsCertificateId = current.Id;
            row.ProtectedPrivateKey = issued.ExportProtectedKey(protector, KeyPurpose.DeviceCertificate(row.Id));
            db.DeviceCertificates.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            return row;
        }
    }

    /// <summary>Makes a certificate the device's one on record, revoking the one it replaces.</summary>
    public async Task EnrolAsync(PbxDbContext db, Device device, DeviceCertificate certificate, CancellationToken cancellationToken)
    {
        if (device.ActiveCertificateId is { } previousId && previousId != certificate.Id)
        {
            var previous = await db.DeviceCertificates.SingleOrDefaultAsync(c => c.Id == previousId, cancellationToken);
            previous?.Revoke(RevocationReason.Superseded, time.GetUtcNow());
        }

        if (db.Entry(certificate).State == EntityState.Detached)
        {
            db.DeviceCertificates.Add(certificate);
            await db.SaveChangesAsync(cancellationToken);
        }

        device.ActiveCertificateId = certificate.Id;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static CertificateKeyAlgorithm KeyAlgorithmOf(X509Certificate2 certificate)
    {
        using var ecdsa = certificate.GetECDsaPublicKey();
        return ecdsa?.KeySize switch
        {
            null => CertificateKeyAlgorithm.Rsa2048,
            384 => CertificateKeyAlgorithm.EcdsaP384,
            _ => CertificateKeyAlgorithm.EcdsaP256,
        };
    }

    public DeviceCertificate ToDeviceCertificate(X509Certificate2 certificate, Device device, Guid issuerId, CertificateSource source) => new()
    {
        TenantId = device.TenantId, DeviceId = device.Id, IssuerId = issuerId,
        Serial = CertificateIdentity.SerialNumber(certificate), Fingerprint = CertificateIdentity.Sha256Fingerprint(certificate),
        Subject = certificate.Subject, Mac = device.Mac, NotBefore = certificate.NotBefore.ToUniversalTime(),
        NotAfter = certificate.NotAfter.ToUniversalTime(), Source = source, CertificateDer = certificate.RawData,
        CreatedAt = time.GetUtcNow(),
    };

    public TrustAnchor ToAnchor(X509Certificate2 certificate, TrustAnchorKind kind, string name) =>
        TrustAnchor.For(certificate, kind, name, time.GetUtcNow());
}
