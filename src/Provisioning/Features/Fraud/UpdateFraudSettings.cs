using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.Fraud;

public static class UpdateFraudSettings
{
    public static async Task<Results<Ok<FraudSettingsResponse>, ValidationProblem>> HandleAsync(Guid tenantId, FraudSettingsRequest request,
        HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (CountryDialPlan.Find(request.Country) is null)
        {
            return ApiErrors.Invalid(nameof(request.Country),
                $"No dial plan for {request.Country}; known: {string.Join(", ", CountryDialPlan.All.Select(p => p.Iso))}.");
        }

        var allowed = request.AllowedCountries ?? [];
        // JSON may carry null inside an array whatever the annotations say: it is refused like any other bad entry.
        if (Array.FindIndex(allowed, c => c is null || c.Length != 2 || !c.All(char.IsAsciiLetterUpper)) is var badCountry and >= 0)
        {
            return ApiErrors.Invalid(nameof(request.AllowedCountries), $"'{allowed[badCountry] ?? "null"}' is not an ISO 3166 code in capitals, e.g. GB.");
        }

        var blocked = request.BlockedPrefixes ?? [];
        if (Array.FindIndex(blocked, p => p is null || p.Length is < 2 or > 16 || p[0] != '+' || !p[1..].All(char.IsAsciiDigit)) is var badPrefix and >= 0)
        {
            return ApiErrors.Invalid(nameof(request.BlockedPrefixes), $"'{blocked[badPrefix] ?? "null"}' is not an E.164 prefix: + and up to 15 digits, e.g. +4990.");
        }

        var settings = await db.PstnSettings.ForTenant(tenantId).SingleOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new PstnSettings { TenantId = tenantId };
            db.PstnSettings.Add(settings);
        }

        settings.Country = request.Country;
        settings.AllowedCountries = [.. allowed.Distinct()];
        settings.BlockedPrefixes = [.. blocked.Distinct()];
        settings.MaxConcurrentExternalCalls = request.MaxConcurrentExternalCalls;
        settings.MaxMinutesPerHour = request.MaxMinutesPerHour;
        settings.MaxMinutesPerDay = request.MaxMinutesPerDay;
        settings.BurstAttempts = request.BurstAttempts;
        settings.BurstWindowMinutes = request.BurstWindowMinutes;
        db.AuditEvents.Add(ApiCaller.From(http).Audit(time.GetUtcNow(), "fraud-settings.update", "tenant", tenantId, tenantId));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(FraudSettingsResponse.From(tenantId, settings));
    }
}
