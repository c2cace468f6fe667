using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.LegalHolds;

/// <summary>The tenant's legal holds, in force first, newest first.</summary>
public static class ListLegalHolds
{
    public static async Task<IReadOnlyList<LegalHoldResponse>> HandleAsync(Guid tenantId, PbxDbContext db, CancellationToken ct) =>
        await db.LegalHolds.AsNoTracking().ForTenant(tenantId)
            .OrderBy(h => h.LiftedAt != null).ThenByDescending(h => h.PlacedAt)
            .Select(LegalHoldResponse.Projection).ToListAsync(ct);
}
