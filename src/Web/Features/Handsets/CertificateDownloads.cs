using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Web.Features.Handsets;

/// <summary>
/// The one download of an issued certificate's key, as a plain GET (a circuit cannot send a file). The link is the
/// API's kind (DownloadLinks); the signed-in user's scope must reach the certificate's tenant, or it is 404.
/// </summary>
public static class CertificateDownloads
{
    public static IEndpointRouteBuilder MapCertificateDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/downloads/certificates/{token}", HandleAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> HandleAsync(string token, HttpContext http, IDbContextFactory<PbxDbContext> factory, DownloadLinks links,
        KeyProtector protector, TimeProvider time, CancellationToken ct)
    {
        var caller = PortalCaller.From(http.User);
        // docs/roles.md: a compliance officer never holds a handset's key, even with a link someone else was given.
        if (caller is null || !caller.May(PortalAction.DownloadHandsetKey) || !links.TryRead(token, out var certificateId, out var formatName, out var password)
            || !Enum.TryParse<DownloadFormat>(formatName, out var format))
        {
            return TypedResults.NotFound("No such download: it may have been fetched already or expired.");
        }

        await using var db = await factory.CreateAsync(caller);
        var download = await CertificateDownload.TakeAsync(db, certificateId, format, password, protector, ct);
        if (download is null)
        {
            return TypedResults.NotFound("No such download: it may have been fetched already or expired.");
        }

        db.AuditEvents.Add(caller.Audit(time.GetUtcNow(), "device.certificate.download", "certificate", download.CertificateId, download.TenantId,
            http.Connection.RemoteIpAddress));
        await db.SaveChangesAsync(ct);
        return TypedResults.File(download.Bytes, download.ContentType, download.FileName);
    }
}
