namespace HostedPbx.Data.Pstn;

/// <summary>The answer to an outbound attempt: the SIP status and reason phrase the caller gets, and what the audit log says.</summary>
public sealed record FraudDecision(FraudVerdict Verdict, int SipStatus, string SipReason, string AuditReason)
{
    public static readonly FraudDecision Allowed = new(FraudVerdict.Allow, 0, "", "");
}
