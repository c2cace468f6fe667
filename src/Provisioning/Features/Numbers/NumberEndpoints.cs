namespace HostedPbx.Provisioning.Features.Numbers;

internal static class NumberEndpoints
{
    public static void MapNumbersApi(this RouteGroupBuilder tenant)
    {
        var numbers = tenant.MapGroup("/numbers").WithTags("Numbers");
        numbers.MapGet("/", ListNumbers.HandleAsync).WithName(nameof(ListNumbers));
        numbers.MapPost("/", CreateNumber.HandleAsync).WithName(nameof(CreateNumber));
        numbers.MapPut("/{numberId:guid}", UpdateNumber.HandleAsync).WithName(nameof(UpdateNumber));
        numbers.MapDelete("/{numberId:guid}", DeleteNumber.HandleAsync).WithName(nameof(DeleteNumber));
    }
}
