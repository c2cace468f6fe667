using System.ComponentModel.DataAnnotations;

namespace HostedPbx.Data.Tenants;

/// <summary>What a reseller sets on a tenant, on creation and update alike.</summary>
public sealed record TenantSettings(
    [Required, StringLength(200, MinimumLength = 1)] string Name,
    [Range(1, 100000)] int MaxExtensions = 50,
    [Range(1, 10000)] int MaxConcurrentCalls = 10,
    [StringLength(64, MinimumLength = 1)] string TimeZone = "UTC",
    [RegularExpression("^[*#0-9]{1,16}$", ErrorMessage = "VoicemailAccessNumber must be 1-16 of 0-9, * and #.")] string VoicemailAccessNumber = "*97",
    string[]? AllowedSrtpSuites = null)
{
    public static readonly string[] KnownSuites = HostedPbx.Data.Entities.Tenant.DefaultSrtpSuites;

    /// <summary>Checks what attributes cannot; null when the settings are acceptable.</summary>
    public (string Field, string Message)? Problem()
    {
        if (AllowedSrtpSuites is { } suites)
        {
            if (suites.Length == 0)
            {
                return (nameof(AllowedSrtpSuites), "At least one SRTP suite must be allowed: calls are never plain RTP.");
            }

            if (suites.FirstOrDefault(s => !KnownSuites.Contains(s)) is { } unknown)
            {
                return (nameof(AllowedSrtpSuites), $"'{unknown}' is not a supported suite ({string.Join(", ", KnownSuites)}).");
            }
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _)
            ? null
            : (nameof(TimeZone), $"'{TimeZone}' is not an IANA time zone, e.g. Europe/Berlin.");
    }

    /// <summary>Writes the settings other than the name onto the tenant.</summary>
    public void ApplyTo(HostedPbx.Data.Entities.Tenant tenant)
    {
        tenant.MaxExtensions = MaxExtensions;
        tenant.MaxConcurrentCalls = MaxConcurrentCalls;
        tenant.TimeZone = TimeZone;
        tenant.VoicemailAccessNumber = VoicemailAccessNumber;
        tenant.AllowedSrtpSuites = AllowedSrtpSuites ?? [.. HostedPbx.Data.Entities.Tenant.DefaultSrtpSuites];
    }
}
