namespace HostedPbx.Data.Entities;

/// <summary>
/// A tenant's country (how its users' dialling becomes E.164, and its emergency numbers) and its toll-fraud guards.
/// A tenant without a row has the defaults below.
/// </summary>
public class PstnSettings : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary>ISO 3166-1 alpha-2, e.g. DE.</summary>
    public string Country { get; set; } = "DE";

    /// <summary>Destination countries (ISO alpha-2) outbound calls may reach; empty means the tenant's own country only.</summary>
    public string[] AllowedCountries { get; set; } = [];

    /// <summary>E.164 prefixes the tenant blocks on top of the platform's list of premium and satellite ranges.</summary>
    public string[] BlockedPrefixes { get; set; } = [];

    /// <summary>The tenant's admin turned the platform's list of premium and satellite ranges off (audited); its own prefixes still hold.</summary>
    public bool PlatformRangesUnblocked { get; set; }
    public int MaxConcurrentExternalCalls { get; set; } = 4;
    public int MaxMinutesPerHour { get; set; } = 120;
    public int MaxMinutesPerDay { get; set; } = 600;

    /// <summary>More than this many international attempts within <see cref="BurstWindowMinutes"/> suspends outbound calls.</summary>
    public int BurstAttempts { get; set; } = 10;
    public int BurstWindowMinutes { get; set; } = 5;

    /// <summary>Set when the burst rule suspended outbound calls (emergency calls still go); an admin lifts it.</summary>
    public DateTimeOffset? OutboundSuspendedAt { get; set; }
    public string? SuspensionReason { get; set; }

    /// <summary>When the tenant's admins and the reseller's users were e-mailed about the current suspension; null until then.</summary>
    public DateTimeOffset? AlertedAt { get; set; }
}
