namespace HostedPbx.Data.Entities;

/// <summary>A handset, known by its MAC (unique across the platform) and bound to its certificate.</summary>
public class Device : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    /// <summary>12 lowercase hex digits.</summary>
    public required string Mac { get; set; }
    public DeviceVendor Vendor { get; set; }
    public required string Model { get; set; }
    public DeviceStatus Status { get; set; } = DeviceStatus.Active;
    /// <summary>
    /// The serial number (lowercase hex, no leading zeros) of the handset's factory certificate, given with the MAC when
    /// the handset was claimed: the second fact from the box that proves the claim. A factory certificate enrols on first
    /// use only when its serial is this one; null means the claim is unproved (or the handset uses platform certificates).
    /// </summary>
    public string? FactorySerial { get; set; }
    /// <summary>The one certificate this device is enrolled with; null until enrolment.</summary>
    public Guid? ActiveCertificateId { get; set; }
    public DeviceCertificate? ActiveCertificate { get; set; }
    public DateTimeOffset? LastProvisionedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Bound extensions in line order.</summary>
    public List<DeviceLine> Lines { get; set; } = [];
    public List<DeviceCertificate> Certificates { get; set; } = [];
}
