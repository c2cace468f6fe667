using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Devices;

public static class ListDevices
{
    public static async Task<Ok<Page<DeviceResponse>>> HandleAsync(Guid tenantId, [AsParameters] PageRequest paging, PbxDbContext db,
        CancellationToken ct) =>
        TypedResults.Ok(await paging.ToPageAsync(db.Devices.AsNoTracking().ForTenant(tenantId).OrderBy(d => d.Mac)
            .Select(DeviceResponse.Projection), ct));
}
