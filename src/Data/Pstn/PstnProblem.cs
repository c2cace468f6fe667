namespace HostedPbx.Data.Pstn;

/// <summary>
/// Why a carrier, trunk, number or route was not saved: the field it is about and a sentence for the person who typed
/// it. A conflict is a clash with another row (a name or priority taken); the API answers it 409, anything else 400.
/// </summary>
public sealed record PstnProblem(string Field, string Message, bool IsConflict = false);
