using HostedPbx.Data;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Devices;

public static class DeleteDevice
{
    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid deviceId, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var device = await db.Devices.ForTenant(tenantId).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null)
        {
            return ApiErrors.NotFound("device");
        }

        var now = time.GetUtcNow();
        // Its lines, certificates and registrations go with it. A platform certificate of a deleted device cannot
        // come back: a new device with the same MAC accepts only certificates enrolled for it.
        db.Devices.Remove(device);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(now, "device.delete", "device", deviceId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
