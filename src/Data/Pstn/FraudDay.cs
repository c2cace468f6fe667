namespace HostedPbx.Data.Pstn;

/// <summary>
/// One tenant's external calls and toll-fraud refusals of one day (midnight to midnight in the tenant's time zone):
/// what the portal's fraud page and the API's <c>…/fraud-settings/today</c> show.
/// </summary>
public sealed record FraudDay(DateOnly Date, string TimeZone, int OutboundCalls, double OutboundMinutes, double InboundMinutes,
    int EmergencyCalls, int Refusals, IReadOnlyList<FraudDay.RefusalCount> ByCheck, IReadOnlyList<FraudDay.Refusal> Latest)
{
    /// <summary>How many calls one check refused (<see cref="FraudAuditActions"/>), and what the portal calls it.</summary>
    public sealed record RefusalCount(string Action, string Check, int Count);

    /// <summary>One refused attempt as the audit log has it: who dialled, which check, and the detail.</summary>
    public sealed record Refusal(DateTimeOffset At, string Caller, string Check, string? Reason);
}
