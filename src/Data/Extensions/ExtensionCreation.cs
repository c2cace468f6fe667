using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Extensions;

/// <summary>The rules for new extensions, shared by the API, the portal's form and its CSV import.</summary>
public static class ExtensionCreation
{
    /// <summary>Why these numbers cannot be added (the tenant's limit, or a number taken), or null.</summary>
    public static async Task<string?> ProblemAsync(PbxDbContext db, Guid tenantId, IReadOnlyCollection<string> numbers, CancellationToken ct)
    {
        var limit = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.MaxExtensions).SingleAsync(ct);
        var count = await db.Extensions.ForTenant(tenantId).CountAsync(ct);
        if (count + numbers.Count > limit)
        {
            return count >= limit
                ? $"The tenant has its limit of {limit} extensions; raise MaxExtensions first."
                : $"The tenant has room for {limit - count} more extensions (limit {limit}); raise MaxExtensions first.";
        }

        var taken = await TakenAsync(db, tenantId, numbers, ct);
        return taken.Count == 0 ? null : $"Extension {taken[0]} exists already in this tenant.";
    }

    public static Task<List<string>> TakenAsync(PbxDbContext db, Guid tenantId, IReadOnlyCollection<string> numbers, CancellationToken ct) =>
        db.Extensions.ForTenant(tenantId).Where(e => numbers.Contains(e.Number)).Select(e => e.Number).OrderBy(n => n).ToListAsync(ct);

    public static Extension New(Guid tenantId, ExtensionSettings settings, DateTimeOffset now) => new()
    {
        TenantId = tenantId, Number = settings.Number, DisplayName = settings.DisplayName.Trim(),
        VoicemailEnabled = settings.VoicemailEnabled, VoicemailEmail = settings.VoicemailEmail, CreatedAt = now,
    };
}
