using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Calls;

/// <summary>The tenant's call history, newest first, optionally of one extension (as caller or callee).</summary>
public static class ListCalls
{
    public static async Task<Ok<Page<CallResponse>>> HandleAsync(Guid tenantId, [AsParameters] PageRequest paging, string? extension,
        PbxDbContext db, CancellationToken ct)
    {
        var query = db.CallRecords.AsNoTracking().ForTenant(tenantId);
        if (!string.IsNullOrWhiteSpace(extension))
        {
            query = query.Where(c => c.FromParty == extension || c.ToParty == extension);
        }

        return TypedResults.Ok(await paging.ToPageAsync(query.OrderByDescending(c => c.StartedAt).Select(CallResponse.Projection), ct));
    }
}
