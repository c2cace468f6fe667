using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Certificates;

/// <summary>
/// A device as <see cref="HandsetTrust"/> needs it. <see cref="RenewalFingerprint"/> is the renewal the platform issued
/// ahead of the enrolled certificate's expiry (only while that certificate stands), accepted beside it.
/// <see cref="FactorySerial"/> is the claim's proof: the factory certificate's serial its tenant gave with the MAC.
/// </summary>
public sealed record HandsetOnRecord(
    Guid Id,
    Guid TenantId,
    string Mac,
    DeviceVendor Vendor,
    bool IsActive,
    bool TenantIsActive,
    string? EnrolledFingerprint,
    string? RenewalFingerprint,
    string? FactorySerial = null);
