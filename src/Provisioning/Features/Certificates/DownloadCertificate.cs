using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Certificates;

/// <summary>Serves a handset's key once: after this answer the platform keeps no copy of it.</summary>
public static class DownloadCertificate
{
    public static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> HandleAsync(string token, HttpContext http,
        PbxDbContext db, DownloadLinks links, KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        // An expired, forged or foreign token, or a key already fetched: all the same 404.
        if (!links.TryRead(token, out var certificateId, out var formatName, out var password)
            || !Enum.TryParse<DownloadFormat>(formatName, out var format))
        {
            return ApiErrors.NotFound("download");
        }

        var row = await db.DeviceCertificates.Include(c => c.Issuer).ThenInclude(i => i!.Parent)
            .SingleOrDefaultAsync(c => c.Id == certificateId && c.ProtectedPrivateKey != null && c.RevokedAt == null, ct);
        if (row is null)
        {
            return ApiErrors.NotFound("download");
        }

        using var issued = IssuedCertificate.Load(row.CertificateDer, row.ProtectedPrivateKey, protector, KeyPurpose.DeviceCertificate(row.Id),
            row.Issuer!.LoadChain());
        var (bytes, type, extension) = format switch
        {
            DownloadFormat.Pem => (System.Text.Encoding.ASCII.GetBytes(issued.CombinedPem()), "application/x-pem-file", "pem"),
            DownloadFormat.Pkcs12 => (issued.ExportPkcs12(password, Pkcs12Format.Modern), "application/x-pkcs12", "p12"),
            DownloadFormat.Pkcs12Legacy => (issued.ExportPkcs12(password, Pkcs12Format.Legacy), "application/x-pkcs12", "p12"),
        };
        row.ProtectedPrivateKey = null;
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "device.certificate.download", "certificate", row.Id, row.TenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.File(bytes, type, $"{row.Mac}.{extension}");
    }
}
