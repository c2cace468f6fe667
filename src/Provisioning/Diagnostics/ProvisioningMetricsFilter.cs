using Microsoft.AspNetCore.Http.HttpResults;

namespace HostedPbx.Provisioning.Diagnostics;

/// <summary>Counts each handset fetch by what it was answered, around the endpoint and without touching it.</summary>
internal sealed class ProvisioningMetricsFilter(ProvisioningMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        metrics.Fetched(inner switch
        {
            FileContentHttpResult => "served",
            ForbidHttpResult => "refused",
            IStatusCodeHttpResult { StatusCode: StatusCodes.Status403Forbidden } => "refused",
            IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound } => "not_found",
            _ => "other",
        });
        return result;
    }
}
