using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// A handset's certificate and key, served once: taking it clears the key on record at once, so the platform keeps no
/// copy and no second request gets it. Shared by the API's download link, the portal's and the renewal file.
/// </summary>
public sealed record CertificateDownload(Guid CertificateId, Guid TenantId, byte[] Bytes, string ContentType, string FileName)
{
    /// <summary>The file, or null when the certificate is unknown, revoked, or its key was fetched already.</summary>
    public static async Task<CertificateDownload?> TakeAsync(PbxDbContext db, Guid certificateId, DownloadFormat format, string password,
        KeyProtector protector, CancellationToken ct)
    {
        var row = await db.DeviceCertificates.AsNoTracking().Include(c => c.Issuer).ThenInclude(i => i!.Parent)
            .SingleOrDefaultAsync(c => c.Id == certificateId && c.ProtectedPrivateKey != null && c.RevokedAt == null, ct);
        if (row is null)
        {
            return null;
        }

        // One winner among parallel requests: the conditional UPDATE clears the key, and only the request whose
        // UPDATE found it still there serves it (PostgreSQL re-checks the condition after waiting for the row lock).
        var taken = await db.DeviceCertificates
            .Where(c => c.Id == certificateId && c.ProtectedPrivateKey != null && c.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedPrivateKey, (byte[]?)null), ct);
        if (taken != 1)
        {
            return null;
        }

        using var issued = IssuedCertificate.Load(row.CertificateDer, row.ProtectedPrivateKey, protector, KeyPurpose.DeviceCertificate(row.Id),
            row.Issuer!.LoadChain());
        var (bytes, type, extension) = format switch
        {
            DownloadFormat.Pem => (System.Text.Encoding.ASCII.GetBytes(issued.CombinedPem()), "application/x-pem-file", "pem"),
            DownloadFormat.Pkcs12 => (issued.ExportPkcs12(password, Pkcs12Format.Modern), "application/x-pkcs12", "p12"),
            DownloadFormat.Pkcs12Legacy => (issued.ExportPkcs12(password, Pkcs12Format.Legacy), "application/x-pkcs12", "p12"),
        };
        return new CertificateDownload(row.Id, row.TenantId, bytes, type, $"{row.Mac}.{extension}");
    }
}
