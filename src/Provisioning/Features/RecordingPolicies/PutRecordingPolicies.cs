using HostedPbx.Data;
using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using HostedPbx.Provisioning.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning.Features.RecordingPolicies;

/// <summary>
/// Sets the tenant's recording policies: each named policy is created or changed, the default is set (null: none), and
/// each listed extension gets a policy of its own (null: back to the default). An extension that is not the tenant's, a
/// policy name that is not defined, or an unknown mode is refused and nothing is changed. The switch picks the change
/// up at once (the directory's NOTIFY). Audited.
/// </summary>
public static class PutRecordingPolicies
{
    public sealed record Request(IReadOnlyList<PolicyInput>? Policies, string? DefaultPolicy, IReadOnlyList<ExtensionInput>? Extensions);

    public sealed record PolicyInput(string? Name, string? Mode, bool Announce = true);

    public sealed record ExtensionInput(Guid ExtensionId, string? Policy);

    public static async Task<Results<Ok<RecordingPoliciesResponse>, ValidationProblem>> HandleAsync(
        Guid tenantId, Request request, HttpContext http, PbxDbContext db, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inputs = request.Policies ?? [];
        var modes = new Dictionary<string, (RecordingMode Mode, bool Announce)>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100)
            {
                return ApiErrors.Invalid("Policies.Name", "Each policy has a name of at most 100 characters.");
            }

            if (!Enum.TryParse<RecordingMode>(input.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
            {
                return ApiErrors.Invalid("Policies.Mode", "A policy's mode is one of Never, Always, ExternalOnly, OnDemand.");
            }

            if (!modes.TryAdd(input.Name.Trim(), (mode, input.Announce)))
            {
                return ApiErrors.Invalid("Policies.Name", $"The policy name '{input.Name.Trim()}' is given twice.");
            }
        }

        var existing = await db.RecordingPolicies.ForTenant(tenantId).ToDictionaryAsync(p => p.Name, StringComparer.Ordinal, ct);
        bool Known(string name) => modes.ContainsKey(name) || existing.ContainsKey(name);
        if (request.DefaultPolicy is { } defaultName && !Known(defaultName))
        {
            return ApiErrors.Invalid(nameof(Request.DefaultPolicy), "The default names no policy of this tenant.");
        }

        var overrides = request.Extensions ?? [];
        var extensionIds = overrides.Select(e => e.ExtensionId).ToList();
        var extensions = await db.Extensions.ForTenant(tenantId).Where(e => extensionIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        foreach (var input in overrides)
        {
            if (!extensions.ContainsKey(input.ExtensionId))
            {
                return ApiErrors.Invalid("Extensions.ExtensionId", "No such extension in this tenant.");
            }

            if (input.Policy is { } name && !Known(name))
            {
                return ApiErrors.Invalid("Extensions.Policy", $"The policy '{name}' is not defined for this tenant.");
            }
        }

        var now = time.GetUtcNow();
        foreach (var (name, (mode, announce)) in modes)
        {
            if (!existing.TryGetValue(name, out var policy))
            {
                policy = new RecordingPolicy { TenantId = tenantId, Name = name, CreatedAt = now };
                db.RecordingPolicies.Add(policy);
                existing[name] = policy;
            }

            policy.Mode = mode;
            policy.Announce = announce;
        }

        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, ct);
        tenant.DefaultRecordingPolicyId = request.DefaultPolicy is { } chosen ? existing[chosen].Id : null;
        foreach (var input in overrides)
        {
            extensions[input.ExtensionId].RecordingPolicyId = input.Policy is { } name ? existing[name].Id : null;
        }

        var caller = ApiCaller.From(http);
        db.AuditEvents.Add(caller.Audit(now, "recording-policy.update", "tenant", tenantId, tenantId,
            reason: $"{modes.Count} polic(ies) set, default '{request.DefaultPolicy ?? "none"}', {overrides.Count} extension override(s)"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await GetRecordingPolicies.ReadAsync(db, tenantId, ct));
    }
}
