using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Pstn;

/// <summary>The checks and the writing that creating and updating a route share, in the API and the portal.</summary>
public static class RouteChanges
{
    public const int MaxTrunks = 8;

    /// <summary>The first problem with <paramref name="settings"/> for the route <paramref name="routeId"/> (null for a new one).</summary>
    public static async Task<PstnProblem?> CheckAsync(PbxDbContext db, Guid tenantId, RouteSettings settings, Guid? routeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(settings);
        if (SettingsCheck.Problem(settings) is { } annotated)
        {
            return annotated;
        }

        if (!DialPattern.TryParse(settings.Pattern, out _, out var error))
        {
            return new PstnProblem(nameof(settings.Pattern), error);
        }

        if (settings.TrunkIds is not { Length: >= 1 and <= MaxTrunks } || settings.TrunkIds.Distinct().Count() != settings.TrunkIds.Length)
        {
            return new PstnProblem(nameof(settings.TrunkIds), $"Give 1 to {MaxTrunks} different trunks, in the order to try them.");
        }

        var known = await db.Trunks.ForTenant(tenantId).CountAsync(t => settings.TrunkIds.Contains(t.Id), ct);
        if (known != settings.TrunkIds.Length)
        {
            return new PstnProblem(nameof(settings.TrunkIds), "No such trunk in this tenant.");
        }

        // Issue 11 item 2: a tenant presents only numbers it owns.
        if (settings.CallerId is { Length: > 0 } callerId
            && !await db.InboundNumbers.ForTenant(tenantId).AnyAsync(n => n.Number == callerId, ct))
        {
            return new PstnProblem(nameof(settings.CallerId), $"'{callerId}' is not one of this tenant's numbers; a route presents only a number the tenant owns.");
        }

        return await db.OutboundRoutes.ForTenant(tenantId).AnyAsync(r => r.Priority == settings.Priority && r.Id != routeId, ct)
            ? new PstnProblem(nameof(settings.Priority), $"Another route has priority {settings.Priority}; priorities order the routes and must differ.", IsConflict: true)
            : null;
    }

    public static void Apply(OutboundRoute route, RouteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(settings);
        route.Name = settings.Name.Trim();
        route.Pattern = settings.Pattern;
        route.Priority = settings.Priority;
        route.TrunkIds = [.. settings.TrunkIds];
        route.Enabled = settings.Enabled;
        route.CallerId = string.IsNullOrWhiteSpace(settings.CallerId) ? null : settings.CallerId;
    }
}
