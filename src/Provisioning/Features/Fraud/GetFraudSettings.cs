using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Fraud;

public static class GetFraudSettings
{
    /// <summary>A tenant that never saved settings has the defaults, and sees them.</summary>
    public static async Task<Ok<FraudSettingsResponse>> HandleAsync(Guid tenantId, PbxDbContext db, CancellationToken ct) =>
        TypedResults.Ok(FraudSettingsResponse.From(tenantId,
            await db.PstnSettings.AsNoTracking().ForTenant(tenantId).SingleOrDefaultAsync(ct) ?? new PstnSettings { TenantId = tenantId }));
}
