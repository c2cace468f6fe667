namespace HostedPbx.Provisioning.Features.Fraud;

internal static class FraudEndpoints
{
    public static void MapFraudApi(this RouteGroupBuilder tenant)
    {
        var fraud = tenant.MapGroup("/fraud-settings").WithTags("Fraud settings");
        fraud.MapGet("/", GetFraudSettings.HandleAsync).WithName(nameof(GetFraudSettings));
        fraud.MapPut("/", UpdateFraudSettings.HandleAsync).WithName(nameof(UpdateFraudSettings));
        fraud.MapPost("/lift-suspension", LiftSuspension.HandleAsync).WithName(nameof(LiftSuspension));
        fraud.MapGet("/today", GetFraudToday.HandleAsync).WithName(nameof(GetFraudToday));
    }
}
