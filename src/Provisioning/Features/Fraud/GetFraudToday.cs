using HostedPbx.Data;
using HostedPbx.Data.Pstn;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HostedPbx.Provisioning.Features.Fraud;

/// <summary>The tenant's external minutes and toll-fraud refusals of today (its time zone), as the portal's fraud page shows them.</summary>
public static class GetFraudToday
{
    public static async Task<Ok<FraudDay>> HandleAsync(Guid tenantId, PbxDbContext db, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(await FraudDayQuery.TodayAsync(db, tenantId, time.GetUtcNow(), ct));
}
