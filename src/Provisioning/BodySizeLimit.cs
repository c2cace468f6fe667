namespace HostedPbx.Provisioning;

/// <summary>
/// Refuses a body larger than <see cref="ApiLimits.MaxRequestBodyBytes"/> with a 413 problem before anything reads it;
/// Kestrel's own limit catches chunked bodies that do not announce their length.
/// </summary>
internal sealed class BodySizeLimit(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > ApiLimits.MaxRequestBodyBytes)
        {
            await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"A request body may be at most {ApiLimits.MaxRequestBodyBytes} bytes.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
