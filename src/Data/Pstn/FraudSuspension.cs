using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Pstn;

/// <summary>How an admin lifts the suspension the burst rule put on a tenant's outbound calls (portal and API alike).</summary>
public static class FraudSuspension
{
    public const int MaxReasonLength = 500;

    /// <summary>What stops the lift, in words for the admin, or null: the tenant must be suspended and the reason given.</summary>
    public static string? Problem(PstnSettings? settings, string? reason) =>
        settings?.OutboundSuspendedAt is null ? "Outbound calls of this tenant are not suspended."
        : string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength
            ? $"A reason for lifting the suspension (at most {MaxReasonLength} characters) is required."
        : null;

    /// <summary>Lifts it (checked by <see cref="Problem"/>); returns the audit reason, naming why it was suspended and why it is lifted.</summary>
    public static string Lift(PstnSettings settings, string reason)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(reason);
        var audit = $"lifted the suspension ({settings.SuspensionReason}): {reason.Trim()}";
        settings.OutboundSuspendedAt = null;
        settings.SuspensionReason = null;
        settings.AlertedAt = null;
        return audit;
    }
}
