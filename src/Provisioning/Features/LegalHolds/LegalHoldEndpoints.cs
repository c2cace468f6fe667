namespace HostedPbx.Provisioning.Features.LegalHolds;

internal static class LegalHoldEndpoints
{
    /// <summary>A tenant's legal holds (issue 10 item 5): list, place, lift; each change audited.</summary>
    public static void MapLegalHoldsApi(this RouteGroupBuilder tenant)
    {
        var holds = tenant.MapGroup("/legal-holds").WithTags("Legal holds");
        holds.MapGet("/", ListLegalHolds.HandleAsync).WithName(nameof(ListLegalHolds));
        holds.MapPost("/", PlaceLegalHold.HandleAsync).WithName(nameof(PlaceLegalHold));
        holds.MapPost("/{holdId:guid}/lift", LiftLegalHold.HandleAsync).WithName(nameof(LiftLegalHold));
    }
}
