namespace HostedPbx.Provisioning.Features.Extensions;

internal static class ExtensionEndpoints
{
    public static void MapExtensionsApi(this RouteGroupBuilder tenant)
    {
        var extensions = tenant.MapGroup("/extensions").WithTags("Extensions");
        extensions.MapGet("/", ListExtensions.HandleAsync).WithName(nameof(ListExtensions));
        extensions.MapPost("/", CreateExtension.HandleAsync).WithName(nameof(CreateExtension));
        extensions.MapGet("/{extensionId:guid}", GetExtension.HandleAsync).WithName(nameof(GetExtension));
        extensions.MapPut("/{extensionId:guid}", UpdateExtension.HandleAsync).WithName(nameof(UpdateExtension));
        extensions.MapDelete("/{extensionId:guid}", DeleteExtension.HandleAsync).WithName(nameof(DeleteExtension));
    }
}
