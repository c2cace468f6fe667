using HostedPbx.Data;
using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Devices;

/// <summary>
/// Adds a claimed handset to a tenant, the same way for a reseller's own claim and for a claim the operator approved:
/// its MAC, vendor, model, factory serial and line keys. The caller has decided the claim may be granted.
/// </summary>
internal static class DeviceEnrolment
{
    /// <summary>The new device (not yet saved), or the problem with its line keys.</summary>
    public static async Task<(Device? Device, string? LinesProblem)> PrepareAsync(
        PbxDbContext db, Guid tenantId, MacAddress mac, DeviceVendor vendor, string model, string? factorySerial, Guid[] lines,
        DateTimeOffset now, CancellationToken ct)
    {
        var device = new Device
        {
            TenantId = tenantId, Mac = mac.ToString(), Vendor = vendor, Model = model.Trim(), FactorySerial = factorySerial, CreatedAt = now,
        };
        var (resolved, problem) = await DeviceLines.ResolveAsync(db, tenantId, device.Id, lines, ct);
        if (resolved is null)
        {
            return (null, problem);
        }

        device.Lines.AddRange(resolved);
        db.Devices.Add(device);
        return (device, null);
    }
}
