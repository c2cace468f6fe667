using HostedPbx.Data.Certificates;
using HostedPbx.Data.Entities;

namespace HostedPbx.Switch.Devices;

/// <summary>
/// A device as the switch needs it at handshake time; Extensions are its lines' numbers in line order.
/// <see cref="RenewalFingerprint"/> is the renewal issued ahead of the enrolled certificate's expiry, accepted beside it.
/// </summary>
internal sealed record DirectoryDevice(
    Guid Id,
    Guid TenantId,
    string Mac,
    bool IsActive,
    bool TenantIsActive,
    string? EnrolledFingerprint,
    IReadOnlyList<string> Extensions,
    string? RenewalFingerprint = null,
    DeviceVendor Vendor = DeviceVendor.Other,
    string? FactorySerial = null)
{
    public HandsetOnRecord ToHandsetOnRecord() =>
        new(Id, TenantId, Mac, Vendor, IsActive, TenantIsActive, EnrolledFingerprint, RenewalFingerprint, FactorySerial);
}
