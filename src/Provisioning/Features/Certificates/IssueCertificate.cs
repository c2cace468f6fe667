using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Certificates;

/// <summary>
/// Issues a platform certificate for a handset and enrols it (the one it replaces is revoked as superseded). The answer
/// carries a link that serves the key once within ten minutes, as PEM or PKCS#12 (with a password in the answer).
/// </summary>
public static class IssueCertificate
{
    public sealed record Request(CertificateKeyAlgorithm? KeyAlgorithm = null, DownloadFormat Format = DownloadFormat.Pem);

    public sealed record Response(CertificateResponse Certificate, string DownloadUrl, DateTimeOffset DownloadExpiresAt, string? Pkcs12Password);

    public static async Task<Results<Created<Response>, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid deviceId, Request request,
        HttpContext http, PbxDbContext db, PlatformAuthority authority, DownloadLinks links, TimeProvider time, CancellationToken ct)
    {
        var device = await db.Devices.ForTenant(tenantId).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null)
        {
            return ApiErrors.NotFound("device");
        }

        var (row, issued) = await authority.IssueDeviceAsync(db, device, request.KeyAlgorithm, ct);
        issued.Dispose();
        var now = time.GetUtcNow();
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "device.certificate.issue", "certificate", row.Id, tenantId));
        await db.SaveChangesAsync(ct);
        var password = DownloadLinks.NewPassword(request.Format);
        var token = links.Create(row.Id, request.Format.ToString(), password ?? "");
        var response = await db.DeviceCertificates.AsNoTracking().Where(c => c.Id == row.Id).Select(CertificateResponse.Projection).SingleAsync(ct);
        return TypedResults.Created($"/api/v1/tenants/{tenantId}/devices/{deviceId}/certificates",
            new Response(response, $"/api/v1/certificate-downloads/{token}", now + DownloadLinks.Lifetime, password));
    }
}
