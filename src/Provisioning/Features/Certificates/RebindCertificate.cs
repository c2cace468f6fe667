using HostedPbx.Data;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Certificates;

/// <summary>Makes one of the device's unrevoked, unexpired certificates the one on record (e.g. after a handset swap).</summary>
public static class RebindCertificate
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> HandleAsync(Guid tenantId, Guid deviceId,
        Guid certificateId, HttpContext http, PbxDbContext db, PlatformAuthority authority, TimeProvider time, CancellationToken ct)
    {
        var device = await db.Devices.ForTenant(tenantId).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        var certificate = await db.DeviceCertificates.ForTenant(tenantId)
            .SingleOrDefaultAsync(c => c.Id == certificateId && c.DeviceId == deviceId, ct);
        if (device is null || certificate is null)
        {
            return ApiErrors.NotFound("certificate");
        }

        var now = time.GetUtcNow();
        if (!certificate.CanBind(now))
        {
            return ApiErrors.Conflict("A revoked or expired certificate cannot be bound.");
        }

        await authority.EnrolAsync(db, device, certificate, ct);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "device.certificate.rebind", "certificate", certificateId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
