namespace HostedPbx.Provisioning;

/// <summary>
/// PostgreSQL stores no NUL character in text, and no name, number or address needs one: a query string or path
/// that carries one is refused with a 400 problem before anything reads it. JSON bodies are guarded by
/// <see cref="NulRejectingStringConverter"/>.
/// </summary>
internal sealed class NulRejection(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true
            || context.Request.Query.Any(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: "Text may not contain the NUL character.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
