using System.Collections.Frozen;
using HostedPbx.Data;
using HostedPbx.Data.Recordings;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Switch.Calls.Recording;

/// <summary>
/// A snapshot of every tenant's recording policies, defaults, extension and trunk overrides, and its in-call recording codes
/// (<see cref="RecordingFeatureCodes"/>), swapped whole on reload (a tenant's change reloads the directory, and this with it).
/// </summary>
internal sealed class RecordingPolicyBook(
    IReadOnlyDictionary<Guid, RecordingPolicyChoice> policies,
    IReadOnlyDictionary<Guid, Guid?> tenantDefaults,
    IReadOnlyDictionary<(Guid TenantId, string Number), Guid?> extensionPolicies,
    IReadOnlyDictionary<Guid, RecordingFeatureCodes>? featureCodes = null,
    IReadOnlyDictionary<Guid, Guid?>? trunkPolicies = null)
{
    private readonly FrozenDictionary<Guid, RecordingPolicyChoice> _policies = policies.ToFrozenDictionary();
    private readonly FrozenDictionary<Guid, Guid?> _tenantDefaults = tenantDefaults.ToFrozenDictionary();
    private readonly FrozenDictionary<(Guid, string), Guid?> _extensionPolicies = extensionPolicies.ToFrozenDictionary(e => (e.Key.TenantId, e.Key.Number), e => e.Value);
    private readonly FrozenDictionary<Guid, Guid?> _trunkPolicies = (trunkPolicies ?? new Dictionary<Guid, Guid?>()).ToFrozenDictionary();
    private readonly FrozenDictionary<Guid, RecordingFeatureCodes> _featureCodes = (featureCodes ?? new Dictionary<Guid, RecordingFeatureCodes>()).ToFrozenDictionary();

    public static RecordingPolicyBook Empty { get; } = new(new Dictionary<Guid, RecordingPolicyChoice>(), new Dictionary<Guid, Guid?>(), new Dictionary<(Guid, string), Guid?>());

    /// <summary>
    /// The policy for a call between two parties of a tenant: two extensions (internal), or with a trunk on one side
    /// (<paramref name="external"/>, issue 11: the "external calls only" policy records it), whose own policy, when
    /// <paramref name="trunkId"/>'s trunk has one, overrides the tenant's (issue 10 item 1).
    /// </summary>
    public RecordingVerdict Decide(Guid tenantId, string caller, string callee, bool external = false, Guid? trunkId = null) =>
        RecordingDecision.Decide(
            Policy(_tenantDefaults.GetValueOrDefault(tenantId)), [Extension(tenantId, caller), Extension(tenantId, callee)],
            trunkId is { } trunk ? Policy(_trunkPolicies.GetValueOrDefault(trunk)) : null, external);

    /// <summary>The tenant's start/stop and pause/resume codes; <c>*1</c> and <c>*2</c> for a tenant the book does not know.</summary>
    public RecordingFeatureCodes Codes(Guid tenantId) => _featureCodes.GetValueOrDefault(tenantId) ?? RecordingFeatureCodes.Default;

    public static async Task<RecordingPolicyBook> LoadAsync(IDbContextFactory<PbxDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var policies = await db.RecordingPolicies.AsNoTracking()
            .Select(p => new RecordingPolicyChoice(p.Id, p.Name, p.Mode, p.Announce)).ToListAsync(cancellationToken);
        var tenants = await db.Tenants.AsNoTracking()
            .Select(t => new { t.Id, t.DefaultRecordingPolicyId, t.RecordingStartStopCode, t.RecordingPauseCode }).ToListAsync(cancellationToken);
        var extensions = await db.Extensions.AsNoTracking().Where(e => e.RecordingPolicyId != null)
            .Select(e => new { e.TenantId, e.Number, e.RecordingPolicyId }).ToListAsync(cancellationToken);
        var trunks = await db.Trunks.AsNoTracking().Where(t => t.RecordingPolicyId != null)
            .Select(t => new { t.Id, t.RecordingPolicyId }).ToListAsync(cancellationToken);
        return new RecordingPolicyBook(
            policies.ToDictionary(p => p.Id),
            tenants.ToDictionary(t => t.Id, t => t.DefaultRecordingPolicyId),
            extensions.ToDictionary(e => (e.TenantId, e.Number), e => e.RecordingPolicyId),
            tenants.ToDictionary(t => t.Id, t => new RecordingFeatureCodes(t.RecordingStartStopCode, t.RecordingPauseCode)),
            trunks.ToDictionary(t => t.Id, t => t.RecordingPolicyId));
    }

    private RecordingPolicyChoice? Extension(Guid tenantId, string number) =>
        Policy(_extensionPolicies.GetValueOrDefault((tenantId, number)));

    private RecordingPolicyChoice? Policy(Guid? id) => id is { } known ? _policies.GetValueOrDefault(known) : null;
}
