using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HostedPbx.Provisioning;

/// <summary>Expected failures as RFC 9457 problem details (STYLE §5: failures are return values).</summary>
internal static class ApiErrors
{
    public static NotFound<ProblemDetails> NotFound(string what) => TypedResults.NotFound(new ProblemDetails
    {
        Status = 404, Title = "Not found", Detail = $"No such {what}.", Type = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    });

    public static Conflict<ProblemDetails> Conflict(string detail) => TypedResults.Conflict(new ProblemDetails
    {
        Status = 409, Title = "Conflict", Detail = detail, Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
    });

    /// <summary>A validation problem naming the field as the built-in validation does (the C# member path, e.g. Settings.TimeZone).</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
