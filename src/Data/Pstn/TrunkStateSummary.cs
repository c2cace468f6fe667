using HostedPbx.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// A trunk's state across the live switch nodes that probe it (issue 11): down when any node finds it down (since the
/// first of them did, with that node's reason), up when every node finds it up (since the last of them did), unknown
/// when no live node has probed it yet (<see cref="State"/> null).
/// </summary>
public sealed record TrunkStateSummary(TrunkReachability? State, DateTimeOffset? Since, string? Reason)
{
    public static readonly TrunkStateSummary Unknown = new(null, null, null);

    public static TrunkStateSummary Of(IEnumerable<TrunkState> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows.ToList();
        if (all.Count == 0)
        {
            return Unknown;
        }

        var down = all.Where(r => r.State == TrunkReachability.Down).OrderBy(r => r.Since).FirstOrDefault();
        if (down is not null)
        {
            return new TrunkStateSummary(TrunkReachability.Down, down.Since, down.Reason);
        }

        var last = all.OrderByDescending(r => r.Since).First();
        return new TrunkStateSummary(TrunkReachability.Up, last.Since, last.Reason);
    }

    /// <summary>The summaries of <paramref name="trunkIds"/>, from the rows of nodes still in <c>switch_nodes</c>; missing ids are unknown.</summary>
    public static async Task<IReadOnlyDictionary<Guid, TrunkStateSummary>> LoadAsync(
        PbxDbContext db, IReadOnlyCollection<Guid> trunkIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.TrunkStates.AsNoTracking()
            .Where(s => trunkIds.Contains(s.TrunkId) && db.SwitchNodes.Any(n => n.Name == s.NodeName))
            .ToListAsync(cancellationToken);
        var byTrunk = rows.ToLookup(r => r.TrunkId);
        return trunkIds.Distinct().ToDictionary(id => id, id => Of(byTrunk[id]));
    }
}
