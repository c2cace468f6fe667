namespace HostedPbx.Provisioning.Features.RecordingPolicies;

/// <summary>The tenant's policies, which is its default, and which extensions and trunks override it (by policy name).</summary>
public sealed record RecordingPoliciesResponse(
    IReadOnlyList<RecordingPoliciesResponse.Policy> Policies, string? DefaultPolicy,
    IReadOnlyList<RecordingPoliciesResponse.Override> Extensions, IReadOnlyList<RecordingPoliciesResponse.Override> Trunks)
{
    public sealed record Policy(Guid Id, string Name, string Mode, bool Announce);

    /// <summary>An extension (its number) or a trunk (its name) with a policy of its own.</summary>
    public sealed record Override(Guid Id, string Name, string Policy);
}
