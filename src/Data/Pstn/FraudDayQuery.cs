using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// Reads <see cref="FraudDay"/> for a tenant: minutes from the call records (answered to ended, or to now for a call
/// still running), refusals from the audit events the switch wrote. One query function for the portal and the API.
/// </summary>
public static class FraudDayQuery
{
    private const int LatestShown = 20;

    public static async Task<FraudDay> TodayAsync(PbxDbContext db, Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var zoneId = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.TimeZone).SingleOrDefaultAsync(ct) ?? "UTC";
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        var start = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
        var end = new DateTimeOffset(midnight.AddDays(1), zone.GetUtcOffset(midnight.AddDays(1))).ToUniversalTime();

        var calls = await db.CallRecords.AsNoTracking().ForTenant(tenantId)
            .Where(c => (c.Type == CallType.OutboundPstn || c.Type == CallType.InboundPstn) && c.StartedAt >= start && c.StartedAt < end)
            .Select(c => new { c.Type, c.Emergency, c.AnsweredAt, c.EndedAt }).ToListAsync(ct);
        double Minutes(CallType type) => calls.Where(c => c.Type == type && c.AnsweredAt is not null)
            .Sum(c => Math.Max(0, ((c.EndedAt ?? now) - c.AnsweredAt!.Value).TotalMinutes));

        var actions = FraudAuditActions.Refusals.Keys.ToArray();
        var refusals = db.AuditEvents.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.OccurredAt >= start && e.OccurredAt < end && actions.Contains(e.Action) && e.Outcome == AuditOutcome.Denied);
        var counts = await refusals.GroupBy(e => e.Action).Select(g => new { Action = g.Key, Count = g.Count() }).ToListAsync(ct);
        var latest = await refusals.OrderByDescending(e => e.OccurredAt).Take(LatestShown)
            .Select(e => new { e.OccurredAt, e.ActorName, e.Action, e.Reason }).ToListAsync(ct);

        return new FraudDay(date, zone.Id, calls.Count(c => c.Type == CallType.OutboundPstn), Math.Round(Minutes(CallType.OutboundPstn), 1),
            Math.Round(Minutes(CallType.InboundPstn), 1), calls.Count(c => c.Emergency), counts.Sum(c => c.Count),
            [.. counts.OrderByDescending(c => c.Count).Select(c => new FraudDay.RefusalCount(c.Action, FraudAuditActions.Refusals[c.Action], c.Count))],
            [.. latest.Select(e => new FraudDay.Refusal(e.OccurredAt, e.ActorName, FraudAuditActions.Refusals[e.Action], e.Reason))]);
    }
}
