using HostedPbx.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Tenants;

public static class GetTenant
{
    public static async Task<Results<Ok<TenantResponse>, NotFound<ProblemDetails>>> HandleAsync(Guid tenantId, PbxDbContext db, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(TenantResponse.Projection).SingleOrDefaultAsync(ct);
        return tenant is null ? ApiErrors.NotFound("tenant") : TypedResults.Ok(tenant);
    }
}
