using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Certificates;

/// <summary>Revokes a certificate; the handset is refused from then on, and the CRL names it.</summary>
public static class RevokeCertificate
{
    public sealed record Request(RevocationReason Reason = RevocationReason.Unspecified);

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, Guid deviceId, Guid certificateId,
        Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var certificate = await db.DeviceCertificates.ForTenant(tenantId)
            .SingleOrDefaultAsync(c => c.Id == certificateId && c.DeviceId == deviceId, ct);
        if (certificate is null)
        {
            return ApiErrors.NotFound("certificate");
        }

        var now = time.GetUtcNow();
        certificate.Revoke(request.Reason, now);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "device.certificate.revoke", "certificate", certificateId, tenantId,
            reason: request.Reason.ToString()));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
