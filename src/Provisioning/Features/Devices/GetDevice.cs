using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Devices;

public static class GetDevice
{
    public static async Task<Results<Ok<DeviceResponse>, NotFound<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid deviceId, PbxDbContext db, CancellationToken ct)
    {
        var device = await db.Devices.AsNoTracking().ForTenant(tenantId).Where(d => d.Id == deviceId)
            .Select(DeviceResponse.Projection).SingleOrDefaultAsync(ct);
        return device is null ? ApiErrors.NotFound("device") : TypedResults.Ok(device);
    }
}
