namespace HostedPbx.Provisioning.Features.Calls;

internal static class CallEndpoints
{
    public static void MapCallsApi(this RouteGroupBuilder tenant)
    {
        var calls = tenant.MapGroup("/calls").WithTags("Calls");
        calls.MapGet("/", ListCalls.HandleAsync).WithName(nameof(ListCalls));
        calls.MapGet("/{callId:guid}", GetCall.HandleAsync).WithName(nameof(GetCall));
    }
}
