using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Fraud;

/// <summary>Saves the guards through the rule the portal uses (<see cref="Data.Pstn.FraudSettingsInput"/>); audited with what changed.</summary>
public static class UpdateFraudSettings
{
    public static async Task<Results<Ok<FraudSettingsResponse>, ValidationProblem>> HandleAsync(Guid tenantId, FraudSettingsRequest request,
        HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        var input = request.ToInput();
        if (input.Problem() is { } problem)
        {
            return ApiErrors.Invalid(problem.Field, problem.Message);
        }

        var settings = await db.PstnSettings.ForTenant(tenantId).SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new PstnSettings { TenantId = tenantId };
            db.PstnSettings.Add(settings);
        }

        var change = input.ApplyTo(settings);
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "fraud-settings.update", "tenant", tenantId, tenantId, reason: change));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(FraudSettingsResponse.From(tenantId, settings));
    }
}
