using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Pstn;

/// <summary>
/// A tenant's toll-fraud guards as an admin typed them (API or portal): one rule checks them and one applies them, so
/// both places refuse the same input in the same words. Empty <see cref="AllowedCountries"/> means the tenant's own country only.
/// </summary>
public sealed record FraudSettingsInput(string Country, string?[] AllowedCountries, string?[] BlockedPrefixes, bool PlatformRangesUnblocked,
    int MaxConcurrentExternalCalls, int MaxMinutesPerHour, int MaxMinutesPerDay, int BurstAttempts, int BurstWindowMinutes)
{
    /// <summary>The first thing wrong with the input, as (the field, what to tell the admin), or null when it may be saved.</summary>
    public (string Field, string Message)? Problem()
    {
        if (CountryDialPlan.Find(Country ?? "") is null)
        {
            return (nameof(Country), $"No dial plan for {Country}; known: {string.Join(", ", CountryDialPlan.All.Select(p => p.Iso))}.");
        }

        // JSON may carry null inside an array whatever the annotations say: it is refused like any other bad entry.
        if (Array.FindIndex(AllowedCountries, c => c is null || c.Length != 2 || !c.All(char.IsAsciiLetterUpper)) is var badCountry and >= 0)
        {
            return (nameof(AllowedCountries), $"'{AllowedCountries[badCountry] ?? "null"}' is not an ISO 3166 code in capitals, e.g. GB.");
        }

        if (Array.FindIndex(BlockedPrefixes, p => p is null || p.Length is < 2 or > 16 || p[0] != '+' || !p[1..].All(char.IsAsciiDigit)) is var badPrefix and >= 0)
        {
            return (nameof(BlockedPrefixes), $"'{BlockedPrefixes[badPrefix] ?? "null"}' is not an E.164 prefix: + and up to 15 digits, e.g. +4990.");
        }

        return (MaxConcurrentExternalCalls, MaxMinutesPerHour, MaxMinutesPerDay, BurstAttempts, BurstWindowMinutes) switch
        {
            ( < 0 or > 10000, _, _, _, _) => (nameof(MaxConcurrentExternalCalls), "MaxConcurrentExternalCalls must be 0 to 10000."),
            (_, < 0 or > 100000, _, _, _) => (nameof(MaxMinutesPerHour), "MaxMinutesPerHour must be 0 to 100000."),
            (_, _, < 0 or > 1000000, _, _) => (nameof(MaxMinutesPerDay), "MaxMinutesPerDay must be 0 to 1000000."),
            (_, _, _, < 1 or > 1000, _) => (nameof(BurstAttempts), "BurstAttempts must be 1 to 1000."),
            (_, _, _, _, < 1 or > 1440) => (nameof(BurstWindowMinutes), "BurstWindowMinutes must be 1 to 1440."),
            _ => null,
        };
    }

    /// <summary>Writes the input (checked by <see cref="Problem"/>) onto the row, and says what changed for the audit log.</summary>
    public string ApplyTo(PstnSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var before = Describe(settings);
        settings.Country = Country;
        settings.AllowedCountries = [.. AllowedCountries.OfType<string>().Distinct()];
        settings.BlockedPrefixes = [.. BlockedPrefixes.OfType<string>().Distinct()];
        settings.PlatformRangesUnblocked = PlatformRangesUnblocked;
        settings.MaxConcurrentExternalCalls = MaxConcurrentExternalCalls;
        settings.MaxMinutesPerHour = MaxMinutesPerHour;
        settings.MaxMinutesPerDay = MaxMinutesPerDay;
        settings.BurstAttempts = BurstAttempts;
        settings.BurstWindowMinutes = BurstWindowMinutes;
        var after = Describe(settings);
        return before == after ? "unchanged" : $"{before} → {after}";
    }

    public static FraudSettingsInput From(PstnSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(settings.Country, settings.AllowedCountries, settings.BlockedPrefixes, settings.PlatformRangesUnblocked,
            settings.MaxConcurrentExternalCalls, settings.MaxMinutesPerHour, settings.MaxMinutesPerDay, settings.BurstAttempts, settings.BurstWindowMinutes);
    }

    private static string Describe(PstnSettings s) =>
        $"country {s.Country}, allowed [{string.Join(" ", s.AllowedCountries)}], blocked [{string.Join(" ", s.BlockedPrefixes)}], "
        + $"platform ranges {(s.PlatformRangesUnblocked ? "unblocked" : "blocked")}, {s.MaxConcurrentExternalCalls} calls, "
        + $"{s.MaxMinutesPerHour} min/h, {s.MaxMinutesPerDay} min/day, burst {s.BurstAttempts} in {s.BurstWindowMinutes} min";
}
