namespace HostedPbx.Data.Entities;

/// <summary>What came of the action.</summary>
public enum AuditOutcome
{
    Success,
    Denied,
    Failed,
}
