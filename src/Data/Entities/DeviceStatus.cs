namespace HostedPbx.Data.Entities;

/// <summary>Whether a handset may provision and register.</summary>
public enum DeviceStatus
{
    Active,
    Disabled,
}
