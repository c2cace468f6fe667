using HostedPbx.Data;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.RecordingPolicies;

/// <summary>The tenant's recording policies as the switch decides with them.</summary>
public static class GetRecordingPolicies
{
    public static async Task<RecordingPoliciesResponse> HandleAsync(Guid tenantId, PbxDbContext db, CancellationToken ct) =>
        await ReadAsync(db, tenantId, ct);

    internal static async Task<RecordingPoliciesResponse> ReadAsync(PbxDbContext db, Guid tenantId, CancellationToken ct)
    {
        var policies = await db.RecordingPolicies.AsNoTracking().ForTenant(tenantId).OrderBy(p => p.Name)
            .Select(p => new RecordingPoliciesResponse.Policy(p.Id, p.Name, p.Mode.ToString(), p.Announce)).ToListAsync(ct);
        var names = policies.ToDictionary(p => p.Id, p => p.Name);
        var defaultId = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.DefaultRecordingPolicyId).SingleOrDefaultAsync(ct);
        var extensions = await db.Extensions.AsNoTracking().ForTenant(tenantId).Where(e => e.RecordingPolicyId != null).OrderBy(e => e.Number)
            .Select(e => new { e.Id, e.Number, e.RecordingPolicyId }).ToListAsync(ct);
        var trunks = await db.Trunks.AsNoTracking().ForTenant(tenantId).Where(t => t.RecordingPolicyId != null).OrderBy(t => t.Name)
            .Select(t => new { t.Id, t.Name, t.RecordingPolicyId }).ToListAsync(ct);
        return new RecordingPoliciesResponse(
            policies,
            defaultId is { } id ? names.GetValueOrDefault(id) : null,
            [.. extensions.Select(e => new RecordingPoliciesResponse.Override(e.Id, e.Number, names.GetValueOrDefault(e.RecordingPolicyId!.Value, "")))],
            [.. trunks.Select(t => new RecordingPoliciesResponse.Override(t.Id, t.Name, names.GetValueOrDefault(t.RecordingPolicyId!.Value, "")))]);
    }
}
