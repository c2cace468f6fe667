namespace HostedPbx.Provisioning.Features.Routes;

internal static class RouteEndpoints
{
    public static void MapRoutesApi(this RouteGroupBuilder tenant)
    {
        var routes = tenant.MapGroup("/routes").WithTags("Routes");
        routes.MapGet("/", ListRoutes.HandleAsync).WithName(nameof(ListRoutes));
        routes.MapPost("/", CreateRoute.HandleAsync).WithName(nameof(CreateRoute));
        routes.MapPut("/{routeId:guid}", UpdateRoute.HandleAsync).WithName(nameof(UpdateRoute));
        routes.MapDelete("/{routeId:guid}", DeleteRoute.HandleAsync).WithName(nameof(DeleteRoute));
    }
}
