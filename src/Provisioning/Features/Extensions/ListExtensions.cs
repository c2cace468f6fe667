using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Extensions;

public static class ListExtensions
{
    public static async Task<Ok<Page<ExtensionResponse>>> HandleAsync(Guid tenantId, [AsParameters] PageRequest paging, string? number,
        PbxDbContext db, CancellationToken ct)
    {
        var query = db.Extensions.AsNoTracking().ForTenant(tenantId);
        if (!string.IsNullOrWhiteSpace(number))
        {
            query = query.Where(e => e.Number.StartsWith(number));
        }

        return TypedResults.Ok(await paging.ToPageAsync(query.OrderBy(e => e.Number).Select(ExtensionResponse.Projection), ct));
    }
}
