using System.Security.Cryptography.X509Certificates;
using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// A trust anchor on record, with where its devices carry their MAC. A vendor anchor speaks only for devices of its
/// <see cref="Vendor"/> whose MAC starts with one of its <see cref="MacPrefixes"/> (none: any), and may be used before its
/// device is enrolled (it enrols on first provisioning); the platform's own CA speaks only for the certificates it
/// enrolled when it issued them.
/// </summary>
internal sealed record DirectoryAnchor(
    string Name,
    X509Certificate2 Certificate,
    MacLocation MacLocation,
    bool IsVendor = true,
    DeviceVendor Vendor = DeviceVendor.Other,
    IReadOnlyList<string>? MacPrefixes = null)
{
    public HandsetAnchor ToHandsetAnchor() => new(Name, Certificate, IsVendor ? TrustAnchorKind.Vendor : TrustAnchorKind.PlatformDeviceIssuer,
        IsVendor ? Vendor : null, MacLocation, MacPrefixes ?? []);
}
