namespace HostedPbx.Provisioning.Features.RecordingPolicies;

internal static class RecordingPolicyEndpoints
{
    /// <summary>A tenant's recording policies, its default and its extensions' overrides (issue 10 item 1).</summary>
    public static void MapRecordingPoliciesApi(this RouteGroupBuilder tenant)
    {
        var policies = tenant.MapGroup("/recording-policies").WithTags("Recording policies");
        policies.MapGet("/", GetRecordingPolicies.HandleAsync).WithName(nameof(GetRecordingPolicies));
        policies.MapPut("/", PutRecordingPolicies.HandleAsync).WithName(nameof(PutRecordingPolicies));
    }
}
