using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Trunks;

public static class ListTrunks
{
    public static async Task<Ok<Page<TrunkResponse>>> HandleAsync(Guid tenantId, [AsParameters] PageRequest paging, PbxDbContext db,
        CancellationToken ct)
    {
        var page = await paging.ToPageAsync(db.Trunks.AsNoTracking().ForTenant(tenantId).OrderBy(t => t.Name).Select(TrunkResponse.Projection), ct);
        // Issue 11: each trunk's state as the switch nodes' keep-alive finds it.
        var states = await TrunkStateSummary.LoadAsync(db, [.. page.Items.Select(t => t.Id)], ct);
        return TypedResults.Ok(page with { Items = [.. page.Items.Select(t => t.WithState(states[t.Id]))] });
    }
}
