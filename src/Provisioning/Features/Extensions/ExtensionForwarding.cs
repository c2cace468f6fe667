using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Extensions;
using HostedPbx.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Extensions;

/// <summary>
/// An extension's call forwarding (issue 12 item 6): each target is another extension of the same tenant. The switch
/// stops a loop of forwards at run time (482), so a loop is not refused here; a target that is not there is.
/// </summary>
internal static class ExtensionForwarding
{
    /// <summary>The first target that is the extension itself or not an extension of the tenant, as a validation problem; or null.</summary>
    public static async Task<ValidationProblem?> ProblemAsync(PbxDbContext db, Guid tenantId, ExtensionSettings settings, CancellationToken ct)
    {
        (string Field, string? Target)[] targets =
        [
            (nameof(settings.ForwardAlways), settings.ForwardAlways),
            (nameof(settings.ForwardBusy), settings.ForwardBusy),
            (nameof(settings.ForwardNoAnswer), settings.ForwardNoAnswer),
        ];
        var numbers = targets.Where(t => t.Target is not null).Select(t => t.Target!).Distinct().ToList();
        var known = numbers.Count == 0 ? [] : await db.Extensions.ForTenant(tenantId).Where(e => numbers.Contains(e.Number)).Select(e => e.Number).ToListAsync(ct);
        foreach (var (field, target) in targets)
        {
            if (target is null)
            {
                continue;
            }

            if (target == settings.Number)
            {
                return ApiErrors.Invalid(field, $"{field} cannot be the extension itself.");
            }

            if (!known.Contains(target))
            {
                return ApiErrors.Invalid(field, $"{field} must be an extension of this tenant; there is no extension {target}.");
            }
        }

        return null;
    }

    public static void Apply(Extension extension, ExtensionSettings settings)
    {
        extension.ForwardAlways = settings.ForwardAlways;
        extension.ForwardBusy = settings.ForwardBusy;
        extension.ForwardNoAnswer = settings.ForwardNoAnswer;
        extension.ForwardNoAnswerSeconds = settings.ForwardNoAnswerSeconds;
    }
}
