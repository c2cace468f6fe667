using HostedPbx.Data;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Security;

/// <summary>
/// Routes under <c>/tenants/{tenantId}</c>: the tenant must be the caller's (its reseller's, or any for the operator).
/// Another reseller's tenant is 404, never 403, so ids reveal nothing. It runs as middleware after authorization,
/// before the endpoint and its body validation, so a foreign id is 404 whatever the body says.
/// </summary>
internal sealed class TenantAccessFilter(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        // A compliance officer's personal key reaches its own tenant's recordings and nothing else: every other route is 404.
        if (ApiCaller.IsPersonalKey(context.User) && metadata?.GetMetadata<PersonalKeyRoute>() is null)
        {
            await ApiErrors.NotFound("resource").ExecuteAsync(context);
            return;
        }

        if (metadata?.GetMetadata<TenantRoute>() is not null && !await IsCallersTenantAsync(context))
        {
            await ApiErrors.NotFound("tenant").ExecuteAsync(context);
            return;
        }

        if (metadata?.GetMetadata<OperatorRoute>() is not null && !ApiCaller.From(context).IsOperator)
        {
            await ApiErrors.NotFound("resource").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static async Task<bool> IsCallersTenantAsync(HttpContext context)
    {
        if (!Guid.TryParse(context.GetRouteValue("tenantId") as string, out var tenantId))
        {
            return false;
        }

        var caller = ApiCaller.From(context);
        var db = context.RequestServices.GetRequiredService<PbxDbContext>();
        if (caller.IsPersonal)
        {
            return tenantId == caller.TenantId;
        }

        return await db.Tenants.AnyAsync(
            t => t.Id == tenantId && (caller.ResellerId == null || t.ResellerId == caller.ResellerId), context.RequestAborted);
    }
}

/// <summary>Marks routes that carry <c>{tenantId}</c>.</summary>
internal sealed record TenantRoute;

/// <summary>Marks the routes a compliance officer's personal key may reach (its own tenant's recordings); every other route is 404 to it.</summary>
internal sealed record PersonalKeyRoute;

/// <summary>Marks operator-only routes; a reseller's key gets 404 there.</summary>
internal sealed record OperatorRoute;
