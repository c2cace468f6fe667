using HostedPbx.Data.Entities;
using HostedPbx.Data.Pstn;

namespace HostedPbx.Provisioning.Features.Fraud;

/// <summary>
/// The tenant's guards, whether outbound calls are suspended, why, and when its admins were e-mailed about it, and the
/// platform's blocked ranges with their source.
/// </summary>
public sealed record FraudSettingsResponse(Guid TenantId, string Country, string[] AllowedCountries, string[] BlockedPrefixes,
    bool PlatformRangesUnblocked, int MaxConcurrentExternalCalls, int MaxMinutesPerHour, int MaxMinutesPerDay, int BurstAttempts,
    int BurstWindowMinutes, DateTimeOffset? OutboundSuspendedAt, string? SuspensionReason, DateTimeOffset? AlertedAt, string[] EmergencyNumbers,
    string[] PlatformBlockedRanges, string PlatformBlockedRangesSource)
{
    public static FraudSettingsResponse From(Guid tenantId, PstnSettings s) => new(tenantId, s.Country, s.AllowedCountries, s.BlockedPrefixes,
        s.PlatformRangesUnblocked, s.MaxConcurrentExternalCalls, s.MaxMinutesPerHour, s.MaxMinutesPerDay, s.BurstAttempts, s.BurstWindowMinutes,
        s.OutboundSuspendedAt, s.SuspensionReason, s.AlertedAt, [.. CountryDialPlan.Find(s.Country)?.EmergencyNumbers ?? []],
        [.. BlockedRanges.All.Select(r => $"{r.Prefix} {r.What}")], BlockedRanges.Source);
}
