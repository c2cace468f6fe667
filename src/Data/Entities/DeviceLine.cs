namespace HostedPbx.Data.Entities;

/// <summary>An extension bound to a device at a line position (1 = first line key).</summary>
public class DeviceLine : ITenantOwned
{
    public Guid DeviceId { get; set; }
    public Device? Device { get; set; }
    public int Position { get; set; }
    public Guid TenantId { get; set; }
    public Guid ExtensionId { get; set; }
    public Extension? Extension { get; set; }
}
