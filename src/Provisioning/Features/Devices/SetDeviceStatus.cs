using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Devices;

/// <summary>Disables a handset (it can no longer provision or register) or enables it again.</summary>
public static class SetDeviceStatus
{
    public sealed record Request(DeviceStatus Status);

    public static async Task<Results<NoContent, NotFound<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid deviceId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var device = await db.Devices.ForTenant(tenantId).SingleOrDefaultAsync(d => d.Id == deviceId, ct);
        if (device is null)
        {
            return ApiErrors.NotFound("device");
        }

        device.Status = request.Status;
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), $"device.{request.Status.ToString().ToLowerInvariant()}", "device", deviceId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
