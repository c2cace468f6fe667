namespace HostedPbx.Provisioning;

/// <summary>
/// Refuses a body larger than <see cref="ApiLimits.MaxRequestBodyBytes"/> with a 413 problem before anything reads it;
/// Kestrel's own limit catches chunked bodies that do not announce their length. A route marked with <see cref="Allow"/>
/// (an upload) takes up to its own limit instead.
/// </summary>
internal sealed class BodySizeLimit(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<Allow>()?.MaxBytes ?? ApiLimits.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"A request body may be at most {limit} bytes.").ExecuteAsync(context);
            return;
        }

        if (limit != ApiLimits.MaxRequestBodyBytes && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }

    /// <summary>Route metadata: this route takes bodies up to <paramref name="MaxBytes"/>.</summary>
    public sealed record Allow(long MaxBytes);
}
