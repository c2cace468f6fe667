using HostedPbx.Data;
using HostedPbx.Data.Entities;

namespace HostedPbx.Testing;

/// <summary>Arranges resellers and tenants with a few rows each, as the table owner.</summary>
public static class TestTenants
{
    public sealed record Arranged(Reseller Reseller, Tenant Tenant, Extension Extension, Device Device);

    public static async Task<Arranged> AddAsync(PbxDbContext owner, string name, string mac, Reseller? reseller = null)
    {
        reseller ??= new Reseller { Name = $"{name} Reseller", CreatedAt = TestClock.Now };
        if (owner.Entry(reseller).State == Microsoft.EntityFrameworkCore.EntityState.Detached)
        {
            owner.Resellers.Add(reseller);
        }

        var tenant = new Tenant { Name = name, ResellerId = reseller.Id, CreatedAt = TestClock.Now };
        var extension = new Extension { TenantId = tenant.Id, Number = "201", DisplayName = $"{name} 201", CreatedAt = TestClock.Now };
        var device = new Device { TenantId = tenant.Id, Mac = mac, Vendor = DeviceVendor.Yealink, Model = "T54W", CreatedAt = TestClock.Now };
        device.Lines.Add(new DeviceLine { TenantId = tenant.Id, Position = 1, ExtensionId = extension.Id });
        owner.Tenants.Add(tenant);
        owner.Extensions.Add(extension);
        owner.Devices.Add(device);
        await owner.SaveChangesAsync();
        return new Arranged(reseller, tenant, extension, device);
    }
}
