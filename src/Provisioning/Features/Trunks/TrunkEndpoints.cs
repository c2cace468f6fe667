using HostedPbx.Provisioning.Security;

namespace HostedPbx.Provisioning.Features.Trunks;

internal static class TrunkEndpoints
{
    /// <summary>The operator's carriers: a reseller's key gets 404 here.</summary>
    public static void MapCarriersApi(this RouteGroupBuilder api)
    {
        var carriers = api.MapGroup("/carriers").WithTags("Carriers").WithMetadata(new OperatorRoute());
        carriers.MapGet("/", ListCarriers.HandleAsync).WithName(nameof(ListCarriers));
        carriers.MapPost("/", CreateCarrier.HandleAsync).WithName(nameof(CreateCarrier));
        carriers.MapPut("/{carrierId:guid}", UpdateCarrier.HandleAsync).WithName(nameof(UpdateCarrier));
        carriers.MapDelete("/{carrierId:guid}", DeleteCarrier.HandleAsync).WithName(nameof(DeleteCarrier));
    }

    public static void MapTrunksApi(this RouteGroupBuilder tenant)
    {
        var trunks = tenant.MapGroup("/trunks").WithTags("Trunks");
        trunks.MapGet("/", ListTrunks.HandleAsync).WithName(nameof(ListTrunks));
        trunks.MapPost("/", CreateTrunk.HandleAsync).WithName(nameof(CreateTrunk));
        trunks.MapGet("/{trunkId:guid}", GetTrunk.HandleAsync).WithName(nameof(GetTrunk));
        trunks.MapPut("/{trunkId:guid}", UpdateTrunk.HandleAsync).WithName(nameof(UpdateTrunk));
        trunks.MapDelete("/{trunkId:guid}", DeleteTrunk.HandleAsync).WithName(nameof(DeleteTrunk));
    }
}
