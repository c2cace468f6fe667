namespace HostedPbx.Provisioning.Features.ApiKeys;

internal static class ApiKeyEndpoints
{
    public static void MapApiKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys");
        keys.MapGet("/", ListApiKeys.HandleAsync).WithName(nameof(ListApiKeys));
        keys.MapPost("/", CreateApiKey.HandleAsync).WithName(nameof(CreateApiKey));
        keys.MapDelete("/{keyId:guid}", RevokeApiKey.HandleAsync).WithName(nameof(RevokeApiKey));
    }
}
