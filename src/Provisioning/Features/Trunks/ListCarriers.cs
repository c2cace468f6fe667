using HostedPbx.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class ListCarriers
{
    public static async Task<Ok<Page<CarrierResponse>>> HandleAsync([AsParameters] PageRequest paging, PbxDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await paging.ToPageAsync(db.Carriers.AsNoTracking().OrderBy(c => c.Name).Select(CarrierResponse.Projection), ct));
}
