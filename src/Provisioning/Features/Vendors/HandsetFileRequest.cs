using HostedPbx.Data.Devices;
using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>
/// A provisioning file name taken apart: the MAC it names, its canonical spelling (as the templates write it) and the
/// vendors whose format uses that name. <c>{mac}.cfg</c> (Yealink, Polycom) and <c>{mac}.xml</c> (Snom, Cisco) are
/// shared, so the device's own vendor decides: serve only if <see cref="IsServedBy"/> it.
/// </summary>
public sealed record HandsetFileRequest(MacAddress Mac, string FileName, IReadOnlyList<DeviceVendor> Vendors)
{
    public bool IsServedBy(DeviceVendor vendor) => Vendors.Contains(vendor);
}
