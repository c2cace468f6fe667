using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Extensions;

public static class GetExtension
{
    public static async Task<Results<Ok<ExtensionResponse>, NotFound<ProblemDetails>>> HandleAsync(
        Guid tenantId, Guid extensionId, PbxDbContext db, CancellationToken ct)
    {
        var extension = await db.Extensions.AsNoTracking().ForTenant(tenantId).Where(e => e.Id == extensionId)
            .Select(ExtensionResponse.Projection).SingleOrDefaultAsync(ct);
        return extension is null ? ApiErrors.NotFound("extension") : TypedResults.Ok(extension);
    }
}
