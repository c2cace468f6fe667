using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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

        var download = await CertificateDownload.TakeAsync(db, certificateId, format, password, protector, ct);
        if (download is null)
        {
            return ApiErrors.NotFound("download");
        }

        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "device.certificate.download", "certificate", download.CertificateId, download.TenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.File(download.Bytes, download.ContentType, download.FileName);
    }
}
