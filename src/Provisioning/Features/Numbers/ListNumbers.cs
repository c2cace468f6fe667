using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Numbers;

public static class ListNumbers
{
    public static async Task<Ok<Page<NumberResponse>>> HandleAsync(Guid tenantId, [AsParameters] PageRequest paging, PbxDbContext db,
        CancellationToken ct) =>
        TypedResults.Ok(await paging.ToPageAsync(
            db.InboundNumbers.AsNoTracking().ForTenant(tenantId).OrderBy(n => n.Number).Select(NumberResponse.Projection), ct));
}
