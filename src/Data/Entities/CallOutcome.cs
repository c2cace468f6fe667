namespace HostedPbx.Data.Entities;

/// <summary>How a call ended.</summary>
public enum CallOutcome
{
    InProgress,
    Answered,
    Busy,
    NoAnswer,
    Rejected,
    NotFound,
    Unavailable,
    Cancelled,
    Failed,
}
