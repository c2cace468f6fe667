using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// A tenant's outbound telephone-network minutes in the last hour and the last 24 hours: what the toll-fraud guard's
/// minute limits are measured against. Emergency calls never count (they route ahead of every limit). The windows roll,
/// so a limit cannot be doubled across midnight or the top of an hour.
/// </summary>
public sealed record ExternalMinutes(double LastHour, double LastDay)
{
    public static readonly ExternalMinutes None = new(0, 0);

    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public ExternalMinutes Plus(ExternalMinutes other) => new(LastHour + other.LastHour, LastDay + other.LastDay);

    /// <summary>The minutes of one answered call (to <paramref name="ended"/>, or to now while it runs) inside each window.</summary>
    public static ExternalMinutes Of(DateTimeOffset answered, DateTimeOffset? ended, DateTimeOffset now)
    {
        var end = ended is { } e && e < now ? e : now;
        return new(Within(answered, end, now - Hour), Within(answered, end, now - Day));
    }

    /// <summary>Every tenant's minutes of calls that have ended, from the call records of every switch node.</summary>
    public static async Task<Dictionary<Guid, ExternalMinutes>> OfEndedCallsAsync(PbxDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var since = now - Day;
        var calls = await db.CallRecords.AsNoTracking()
            .Where(c => c.Type == CallType.OutboundPstn && !c.Emergency && c.AnsweredAt != null && c.EndedAt != null && c.EndedAt > since)
            .Select(c => new { c.TenantId, AnsweredAt = c.AnsweredAt!.Value, c.EndedAt }).ToListAsync(ct);
        return calls.GroupBy(c => c.TenantId).ToDictionary(
            g => g.Key, g => g.Aggregate(None, (sum, c) => sum.Plus(Of(c.AnsweredAt, c.EndedAt, now))));
    }

    private static double Within(DateTimeOffset start, DateTimeOffset end, DateTimeOffset windowStart) =>
        Math.Max(0, (end - (start > windowStart ? start : windowStart)).TotalMinutes);
}
