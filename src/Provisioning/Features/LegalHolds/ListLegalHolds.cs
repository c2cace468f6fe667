using HostedPbx.Data;
using HostedPbx.Data.Recordings;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.LegalHolds;

/// <summary>The tenant's legal holds, in force first, newest first (<see cref="LegalHolding.List"/>, as the portal lists them).</summary>
public static class ListLegalHolds
{
    public static async Task<IReadOnlyList<LegalHoldResponse>> HandleAsync(Guid tenantId, PbxDbContext db, CancellationToken ct) =>
        await LegalHolding.List(db, tenantId).Select(LegalHoldResponse.Projection).ToListAsync(ct);
}
