using HostedPbx.Data.Entities;

namespace HostedPbx.Data.Voicemail;

/// <summary>
/// The one rule for which handsets are told of their messages without asking (issue 9 item 3): the vendors whose
/// provisioning templates (src/Provisioning/Features/Vendors) configure a voicemail number but no RFC 3842 subscription,
/// and whose phones light their lamp on an out-of-dialog NOTIFY. Baresip and Polycom are provisioned to SUBSCRIBE; Snom,
/// Linphone and unknown devices are not known to expect unsolicited NOTIFYs, so they are not sent what they did not ask for.
/// </summary>
public static class UnsolicitedMessageWaiting
{
    public static bool Expects(DeviceVendor vendor) => vendor switch
    {
        DeviceVendor.Yealink or DeviceVendor.Grandstream or DeviceVendor.Cisco => true,
        DeviceVendor.Polycom or DeviceVendor.Snom or DeviceVendor.Baresip or DeviceVendor.Linphone or DeviceVendor.Other => false,
    };
}
