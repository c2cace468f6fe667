namespace HostedPbx.Data.Pstn;

/// <summary>
/// The audit actions of the toll-fraud guards, one per check that refused a call (the caller hears only the reason
/// phrase; the audit event says which check and why), and the labels the portal shows for them.
/// </summary>
public static class FraudAuditActions
{
    public const string Suspended = "pstn.outbound.suspended";
    public const string BlockedRange = "pstn.outbound.blocked-range";
    public const string Country = "pstn.outbound.country";
    public const string Concurrent = "pstn.outbound.concurrent";
    public const string Minutes = "pstn.outbound.minutes";

    /// <summary>The burst rule tripped: this call is refused and the tenant's outbound calls are suspended.</summary>
    public const string Suspend = "pstn.outbound-suspend";

    /// <summary>An admin lifted the suspension (portal or API), with a reason.</summary>
    public const string Resume = "pstn.outbound-resume";

    /// <summary>Every refusal's action, with what the portal calls it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Refusals = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Suspend] = "Burst of international attempts (suspended the tenant)",
        [Suspended] = "While outbound calls were suspended",
        [BlockedRange] = "Destination in a blocked range",
        [Country] = "Destination country not allowed",
        [Concurrent] = "Too many external calls at once",
        [Minutes] = "External minutes used up",
    };
}
