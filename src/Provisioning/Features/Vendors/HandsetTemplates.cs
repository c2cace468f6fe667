using HostedPbx.Data.Entities;

namespace HostedPbx.Provisioning.Features.Vendors;

/// <summary>The provisioning template of each vendor. Templates hold no state, so one instance of each serves every request.</summary>
public static class HandsetTemplates
{
    private static readonly IHandsetTemplate s_yealink = new YealinkTemplate();
    private static readonly IHandsetTemplate s_polycom = new PolycomTemplate();
    private static readonly IHandsetTemplate s_snom = new SnomTemplate();
    private static readonly IHandsetTemplate s_grandstream = new GrandstreamTemplate();
    private static readonly IHandsetTemplate s_cisco = new CiscoTemplate();
    private static readonly IHandsetTemplate s_baresip = new BaresipTemplate();

    /// <summary>
    /// The template for <paramref name="vendor"/>, or null for <see cref="DeviceVendor.Linphone"/> and
    /// <see cref="DeviceVendor.Other"/>: they have no provisioning format we write, so ServeConfig answers 404 and such
    /// devices are configured by hand (a generic file would tempt an operator into a configuration no handset reads).
    /// </summary>
    public static IHandsetTemplate? For(DeviceVendor vendor) => vendor switch
    {
        DeviceVendor.Yealink => s_yealink,
        DeviceVendor.Polycom => s_polycom,
        DeviceVendor.Snom => s_snom,
        DeviceVendor.Grandstream => s_grandstream,
        DeviceVendor.Cisco => s_cisco,
        DeviceVendor.Baresip => s_baresip,
        DeviceVendor.Linphone or DeviceVendor.Other => null,
    };
}
