using HostedPbx.Data.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Data.Devices;

/// <summary>A MAC is unique across the platform; the API and the portal ask here before they add a handset.</summary>
public static class MacRegistry
{
    /// <summary>Another tenant's device is invisible under row-level security, so the check runs as the platform.</summary>
    public static async Task<bool> IsTakenAsync(PbxDbContext db, MacAddress mac, CancellationToken ct)
    {
        var scope = db.Scope;
        db.UseScope(DbScope.System);
        try
        {
            return await db.Devices.AnyAsync(d => d.Mac == mac.ToString(), ct);
        }
        finally
        {
            db.UseScope(scope);
        }
    }
}
