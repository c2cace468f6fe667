namespace HostedPbx.Data.Pstn;

/// <summary>
/// The answer to an outbound attempt: the SIP status and reason phrase the caller gets, and what the audit log says
/// (<see cref="AuditAction"/>, one of <see cref="FraudAuditActions"/>, names the check that refused it).
/// </summary>
public sealed record FraudDecision(FraudVerdict Verdict, int SipStatus, string SipReason, string AuditReason, string AuditAction = "")
{
    public static readonly FraudDecision Allowed = new(FraudVerdict.Allow, 0, "", "");
}
