namespace HostedPbx.Data.Pstn;

/// <summary>
/// The toll-fraud decision for one outbound attempt, in a fixed order: emergency calls always pass; then a suspension,
/// a blocked range, a country not allowed, the burst rule, and the limits on concurrent calls and minutes. The reason
/// phrase tells the caller what stopped the call; the audit reason carries the detail.
/// </summary>
public static class FraudGuard
{
    public static FraudDecision Decide(FraudCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var settings = check.Settings;
        var destination = check.Destination;
        switch (destination.Kind)
        {
            case DialledKind.Emergency:
                return FraudDecision.Allowed;
            case DialledKind.Invalid:
                // RFC 3261 §21.4.26: 484 Address Incomplete for a number that cannot be complete as dialled.
                return new(FraudVerdict.Refuse, 484, "Not a valid telephone number", $"'{destination.Dialled}' is not a number in E.164 after the country rules");
            case DialledKind.External:
                break;
        }

        if (settings.OutboundSuspendedAt is not null)
        {
            return new(FraudVerdict.Refuse, 403, "Outbound calls suspended", $"outbound calls are suspended: {settings.SuspensionReason}",
                FraudAuditActions.Suspended);
        }

        if (BlockedRanges.Find(destination.Number, settings.BlockedPrefixes, platform: !settings.PlatformRangesUnblocked) is { } range)
        {
            return new(FraudVerdict.Refuse, 403, "Destination in a blocked range", $"{destination.Number} is in a blocked range: {range}",
                FraudAuditActions.BlockedRange);
        }

        var countries = CountryDialPlan.CountriesOf(destination.Number);
        var allowed = settings.AllowedCountries.Length == 0 ? [settings.Country] : settings.AllowedCountries;
        if (!countries.Any(c => allowed.Contains(c, StringComparer.OrdinalIgnoreCase)))
        {
            return new(FraudVerdict.Refuse, 403, "Destination country not allowed",
                $"{destination.Number} is in {string.Join("/", countries)}, not in the allowed countries {string.Join(", ", allowed)}",
                FraudAuditActions.Country);
        }

        if (destination.International && check.RecentInternationalAttempts + 1 > settings.BurstAttempts)
        {
            return new(FraudVerdict.Suspend, 403, "Outbound calls suspended",
                $"{check.RecentInternationalAttempts + 1} international attempts within {settings.BurstWindowMinutes} minutes"
                + $" (more than {settings.BurstAttempts})", FraudAuditActions.Suspend);
        }

        if (check.ActiveExternalCalls >= settings.MaxConcurrentExternalCalls)
        {
            // RFC 3261 §21.5.4: 503 for a temporary limit, which the caller may try again later.
            return new(FraudVerdict.Refuse, 503, "Too many external calls",
                $"{check.ActiveExternalCalls} external calls active, the limit is {settings.MaxConcurrentExternalCalls}",
                FraudAuditActions.Concurrent);
        }

        if (check.MinutesThisHour >= settings.MaxMinutesPerHour)
        {
            return new(FraudVerdict.Refuse, 403, "External minutes used up",
                $"{check.MinutesThisHour:0} outbound minutes in the last hour, the limit is {settings.MaxMinutesPerHour}",
                FraudAuditActions.Minutes);
        }

        if (check.MinutesToday >= settings.MaxMinutesPerDay)
        {
            return new(FraudVerdict.Refuse, 403, "External minutes used up",
                $"{check.MinutesToday:0} outbound minutes in the last 24 hours, the limit is {settings.MaxMinutesPerDay}",
                FraudAuditActions.Minutes);
        }

        return FraudDecision.Allowed;
    }
}
