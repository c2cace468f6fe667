using System.ComponentModel.DataAnnotations;
using HostedPbx.Data.Pstn;

namespace HostedPbx.Provisioning.Features.Fraud;

/// <summary>
/// A tenant's country and toll-fraud guards. Empty <see cref="AllowedCountries"/> means the tenant's own country only;
/// <see cref="PlatformRangesUnblocked"/> turns the platform's premium and satellite ranges off (the tenant's own prefixes still hold).
/// </summary>
public sealed record FraudSettingsRequest(
    [Required, RegularExpression("^[A-Z]{2}$", ErrorMessage = "Country must be an ISO 3166 code in capitals, e.g. DE.")] string Country,
    string[]? AllowedCountries = null,
    string[]? BlockedPrefixes = null,
    bool PlatformRangesUnblocked = false,
    [Range(0, 10000, ErrorMessage = "MaxConcurrentExternalCalls must be 0 to 10000.")] int MaxConcurrentExternalCalls = 4,
    [Range(0, 100000, ErrorMessage = "MaxMinutesPerHour must be 0 to 100000.")] int MaxMinutesPerHour = 120,
    [Range(0, 1000000, ErrorMessage = "MaxMinutesPerDay must be 0 to 1000000.")] int MaxMinutesPerDay = 600,
    [Range(1, 1000, ErrorMessage = "BurstAttempts must be 1 to 1000.")] int BurstAttempts = 10,
    [Range(1, 1440, ErrorMessage = "BurstWindowMinutes must be 1 to 1440.")] int BurstWindowMinutes = 5)
{
    public FraudSettingsInput ToInput() => new(Country, AllowedCountries ?? [], BlockedPrefixes ?? [], PlatformRangesUnblocked,
        MaxConcurrentExternalCalls, MaxMinutesPerHour, MaxMinutesPerDay, BurstAttempts, BurstWindowMinutes);
}
