using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Recordings;

/// <summary>
/// What came of placing or lifting a legal hold: the hold, or why not (a field and its message for bad input, a
/// conflict, or an unknown hold, which the API answers 404 and the portal "not found").
/// </summary>
public sealed record LegalHoldResult(LegalHold? Hold, string? Field = null, string? Problem = null, bool NotFound = false)
{
    public static LegalHoldResult Unknown { get; } = new(null, NotFound: true);

    public static LegalHoldResult Done(LegalHold hold) => new(hold);

    public static LegalHoldResult Invalid(string field, string problem) => new(null, field, problem);

    public static LegalHoldResult Conflict(string problem) => new(null, Problem: problem);
}
