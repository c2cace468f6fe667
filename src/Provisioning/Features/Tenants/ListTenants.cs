using HostedPbx.Data;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Tenants;

public static class ListTenants
{
    public static async Task<Ok<Page<TenantResponse>>> HandleAsync([AsParameters] PageRequest paging, string? name, HttpContext http,
        PbxDbContext db, CancellationToken ct)
    {
        var caller = ApiCaller.From(http);
        var query = db.Tenants.AsNoTracking().Where(t => caller.ResellerId == null || t.ResellerId == caller.ResellerId);
        if (!string.IsNullOrWhiteSpace(name))
        {
            query = query.Where(t => t.Name.Contains(name));
        }

        return TypedResults.Ok(await paging.ToPageAsync(query.OrderBy(t => t.Name).ThenBy(t => t.Id).Select(TenantResponse.Projection), ct));
    }
}
