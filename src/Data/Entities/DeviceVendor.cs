namespace HostedPbx.Data.Entities;

/// <summary>Handset vendors with a provisioning template.</summary>
public enum DeviceVendor
{
    Yealink,
    Polycom,
    Snom,
    Grandstream,
    Cisco,
    Baresip,
    Linphone,
    Other,
}
