using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HostedPbx.Provisioning.Tests.Support;

/// <summary>Every route of the management API, read from the app itself so a new route cannot be forgotten.</summary>
public static class ApiRoutes
{
    public sealed record Route(string Method, string Pattern);

    public static IReadOnlyList<Route> All(IServiceProvider services) =>
    [
        .. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new Route(m, Normalize(e.RoutePattern.RawText!)))),
    ];

    /// <summary>/api/v1/tenants/{tenantId:guid}/ -> /api/v1/tenants/{tenantId} as OpenAPI writes it.</summary>
    private static string Normalize(string raw)
    {
        var pattern = System.Text.RegularExpressions.Regex.Replace(raw, @"\{(\w+):[^}]+\}", "{$1}");
        return pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
    }
}
