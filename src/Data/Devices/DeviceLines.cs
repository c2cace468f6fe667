using HostedPbx.Data.Entities;
using HostedPbx.Data.Queries;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Devices;

/// <summary>Checks a requested list of extensions for a device's lines; the same rules on create and on re-bind.</summary>
public static class DeviceLines
{
    public const int MaxLines = 64;

    /// <summary>The lines in order, or the problem with the request.</summary>
    public static async Task<(List<DeviceLine>? Lines, string? Problem)> ResolveAsync(PbxDbContext db, Guid tenantId, Guid deviceId,
        IReadOnlyList<Guid> extensionIds, CancellationToken ct)
    {
        if (extensionIds.Count > MaxLines)
        {
            return (null, $"A handset has at most {MaxLines} lines.");
        }

        if (extensionIds.Distinct().Count() != extensionIds.Count)
        {
            return (null, "An extension may appear only once on a handset.");
        }

        var known = await db.Extensions.ForTenant(tenantId).Where(e => extensionIds.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
        if (extensionIds.FirstOrDefault(id => !known.Contains(id)) is var missing && missing != Guid.Empty)
        {
            return (null, $"Extension {missing} is not one of this tenant's.");
        }

        return ([.. extensionIds.Select((id, i) => new DeviceLine { DeviceId = deviceId, TenantId = tenantId, Position = i + 1, ExtensionId = id })], null);
    }
}
