using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class ListTrunks
{
    public static async Task<Ok<Page<TrunkResponse>>> HandleAsync(Guid tenantId, [AsParameters] PageRequest paging, PbxDbContext db,
        CancellationToken ct) =>
        TypedResults.Ok(await paging.ToPageAsync(
            db.Trunks.AsNoTracking().ForTenant(tenantId).OrderBy(t => t.Name).Select(TrunkResponse.Projection), ct));
}
