using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Routes;

/// <summary>The checks and the writing that creating and updating a route share.</summary>
internal static class RouteChanges
{
    public const int MaxTrunks = 8;

    public static async Task<ValidationProblem?> InvalidAsync(PbxDbContext db, Guid tenantId, RouteSettings request, CancellationToken ct)
    {
        if (!DialPattern.TryParse(request.Pattern, out _, out var error))
        {
            return ApiErrors.Invalid(nameof(request.Pattern), error);
        }

        if (request.TrunkIds is not { Length: >= 1 and <= MaxTrunks } || request.TrunkIds.Distinct().Count() != request.TrunkIds.Length)
        {
            return ApiErrors.Invalid(nameof(request.TrunkIds), $"Give 1 to {MaxTrunks} different trunks, in the order to try them.");
        }

        var known = await db.Trunks.ForTenant(tenantId).CountAsync(t => request.TrunkIds.Contains(t.Id), ct);
        return known == request.TrunkIds.Length ? null : ApiErrors.Invalid(nameof(request.TrunkIds), "No such trunk in this tenant.");
    }

    public static async Task<Conflict<ProblemDetails>?> ConflictAsync(PbxDbContext db, Guid tenantId, RouteSettings request, Guid? routeId,
        CancellationToken ct) =>
        await db.OutboundRoutes.ForTenant(tenantId).AnyAsync(r => r.Priority == request.Priority && r.Id != routeId, ct)
            ? ApiErrors.Conflict($"Another route has priority {request.Priority}; priorities order the routes and must differ.")
            : null;

    public static void Apply(OutboundRoute route, RouteSettings request)
    {
        route.Name = request.Name.Trim();
        route.Pattern = request.Pattern;
        route.Priority = request.Priority;
        route.TrunkIds = [.. request.TrunkIds];
        route.Enabled = request.Enabled;
    }
}
