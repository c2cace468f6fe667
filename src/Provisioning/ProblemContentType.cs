namespace HostedPbx.Provisioning;

/// <summary>
/// Every refusal of this API is RFC 9457 problem details, and says so: <c>TypedResults.NotFound(problem)</c> and
/// <c>Conflict(problem)</c> would write it as <c>application/json</c>, so error answers are relabelled
/// <c>application/problem+json</c> (RFC 9457 §3) as they start.
/// </summary>
internal sealed class ProblemContentType(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            if (response.StatusCode >= StatusCodes.Status400BadRequest
                && response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
            {
                response.ContentType = "application/problem+json; charset=utf-8";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
